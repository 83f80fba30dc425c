package dev.runway.orchestrator.messaging;

import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;

/** An event already applied; inserted in the transaction of the change it caused, so redelivery is a no-op. */
@Entity
@Table(name = "processed_message")
public class ProcessedMessage extends PanacheEntityBase {

    @Id
    @Column(name = "event_id")
    public String eventId;
    @Column(name = "deployment_id")
    public UUID deploymentId;
    @Column(name = "record_type")
    public String recordType;
    @Column(name = "processed_at")
    public Instant processedAt;
}
