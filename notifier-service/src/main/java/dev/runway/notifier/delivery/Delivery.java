package dev.runway.notifier.delivery;

import java.time.OffsetDateTime;

import io.vertx.mutiny.sqlclient.Row;

/** A row of the delivery log. {@code endpoint} and {@code lastError} never hold secrets (masked on write). */
public record Delivery(long id, String eventId, String eventType, String deploymentId, String environment,
        String project, String client, String severity, String channel, String endpoint, String subject, String payload,
        DeliveryStatus status, int attempts, int maxAttempts, String lastError, Long collapsedInto, int repeats,
        OffsetDateTime nextAttemptAt, OffsetDateTime createdAt, OffsetDateTime updatedAt, OffsetDateTime deliveredAt) {

    static Delivery from(Row r) {
        return new Delivery(r.getLong("id"), r.getString("event_id"), r.getString("event_type"),
                r.getString("deployment_id"), r.getString("environment"), r.getString("project"),
                r.getString("client"), r.getString("severity"), r.getString("channel"), r.getString("endpoint"), r.getString("subject"),
                r.getString("payload"), DeliveryStatus.valueOf(r.getString("status")), r.getInteger("attempts"),
                r.getInteger("max_attempts"), r.getString("last_error"), r.getLong("collapsed_into"),
                r.getInteger("repeats"), r.getOffsetDateTime("next_attempt_at"), r.getOffsetDateTime("created_at"),
                r.getOffsetDateTime("updated_at"), r.getOffsetDateTime("delivered_at"));
    }
}
