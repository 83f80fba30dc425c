package dev.runway.orchestrator.audit;

import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import io.smallrye.mutiny.Uni;

/** Append-only audit log: who did what, when and why. Rows are only ever inserted. */
@Entity
@Table(name = "audit_log")
public class AuditEntry extends PanacheEntityBase {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;
    @Column(name = "deployment_id")
    public UUID deploymentId;
    public Instant at;
    public String actor;
    public String action;
    public String detail;
    @Column(name = "event_id")
    public String eventId;

    public static Uni<AuditEntry> record(UUID deploymentId, String actor, String action, String detail, String eventId) {
        AuditEntry entry = new AuditEntry();
        entry.deploymentId = deploymentId;
        entry.at = Instant.now();
        entry.actor = actor;
        entry.action = action;
        entry.detail = detail;
        entry.eventId = eventId;
        return entry.persist();
    }
}
