package dev.runway.orchestrator.decommission;

import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;

/**
 * The release a successful blue-green or canary deployment replaced: it keeps running in its colour
 * until {@code keepUntil} (an instant switch back stays possible), then it is decommissioned.
 */
@Entity
@Table(name = "kept_release")
public class KeptRelease extends PanacheEntityBase {

    public enum Status {
        /** Running, waiting for its keep period to end. */
        KEPT,
        /** Decommission sent under the project environment's lock; waiting for the executor. */
        SENT,
        DECOMMISSIONED,
        /** Not decommissioned: a newer deployment (or rollback) of the project environment took over its colour. */
        SKIPPED,
        /** The executor refused or failed, or did not answer in time; the colour may still run. */
        FAILED
    }

    /** A component in the kept colour: its version, and the deployment that released it (null when Runway never recorded one). */
    public record Component(String component, String version, UUID deploymentId) {
    }

    /** The deployment that replaced the release. */
    @Id
    @Column(name = "deployment_id")
    public UUID deploymentId;
    public String project;
    public String environment;
    public String client;
    public String slot;
    /** JSON list of {@link Component}. */
    public String components;
    @Column(name = "deployment_token")
    public long deploymentToken;
    @Column(name = "keep_until")
    public Instant keepUntil;
    @Enumerated(EnumType.STRING)
    public Status status;
    @Column(name = "fencing_token")
    public Long fencingToken;
    @Column(name = "command_event_id")
    public String commandEventId;
    @Column(name = "sent_at")
    public Instant sentAt;
    @Column(name = "deadline_at")
    public Instant deadlineAt;
    @Column(name = "finished_at")
    public Instant finishedAt;
    public String detail;
    @Column(name = "created_at")
    public Instant createdAt;
    @Version
    @Column(name = "row_version")
    public long rowVersion;
}
