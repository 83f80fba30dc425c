package dev.runway.events;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;

import org.apache.avro.specific.SpecificRecord;

/** Builds and reads the {@link EventHeader} every Runway record carries. */
public final class Envelopes {

    private Envelopes() {
    }

    /** The first record of a flow: its own event id doubles as the correlation id. */
    public static EventHeader first(String deploymentId, Environment environment, String project, Clock clock) {
        return first(deploymentId, environment, project, null, clock);
    }

    /** The first record of a flow of a project environment of a known client (tenant). */
    public static EventHeader first(String deploymentId, Environment environment, String project, String client,
            Clock clock) {
        String id = UUID.randomUUID().toString();
        return EventHeader.newBuilder()
                .setEventId(id)
                .setDeploymentId(deploymentId)
                .setEnvironment(environment)
                .setProject(project)
                .setClient(client)
                .setOccurredAt(now(clock))
                .setCorrelationId(id)
                .setCausationId(null)
                .build();
    }

    /** A record caused by {@code cause}: same deployment and correlation, causation = cause's id. */
    public static EventHeader causedBy(EventHeader cause, Clock clock) {
        return EventHeader.newBuilder(cause)
                .setEventId(UUID.randomUUID().toString())
                .setOccurredAt(now(clock))
                .setCausationId(cause.getEventId())
                .build();
    }

    /**
     * The header of any Runway record. Every schema names its envelope {@code header}; a record
     * without one is not part of the contract.
     */
    public static EventHeader headerOf(SpecificRecord record) {
        var field = record.getSchema().getField("header");
        if (field == null || !(record.get(field.pos()) instanceof EventHeader header)) {
            throw new IllegalArgumentException(record.getSchema().getFullName() + " carries no EventHeader");
        }
        return header;
    }

    /** Avro timestamp-millis keeps milliseconds: truncate so a round trip compares equal. */
    private static Instant now(Clock clock) {
        return clock.instant().truncatedTo(ChronoUnit.MILLIS);
    }
}
