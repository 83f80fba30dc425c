package dev.runway.orchestrator.outbox;

import java.time.Instant;

import jakarta.enterprise.context.ApplicationScoped;

import org.apache.avro.specific.SpecificRecord;

import dev.runway.events.Envelopes;
import io.smallrye.mutiny.Uni;

/**
 * Writes records to the outbox inside the caller's transaction. Nothing is sent here: the
 * {@link OutboxRelay} publishes committed rows, so a state change and its command never disagree.
 */
@ApplicationScoped
public class Outbox {

    public Uni<OutboxMessage> add(String topic, SpecificRecord record) {
        OutboxMessage row = new OutboxMessage();
        var header = Envelopes.headerOf(record);
        row.topic = topic;
        row.messageKey = header.getDeploymentId();
        row.eventId = header.getEventId();
        row.recordType = record.getClass().getName();
        row.payload = AvroCodec.encode(record);
        row.createdAt = Instant.now();
        return row.persist();
    }
}
