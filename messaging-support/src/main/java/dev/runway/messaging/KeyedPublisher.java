package dev.runway.messaging;

import org.apache.avro.specific.SpecificRecord;

import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;

/**
 * Sends Runway records on one channel, keyed by deployment id. The returned {@link Uni} completes
 * when the broker acknowledged the record (acks=all), so callers know it is durable.
 */
public final class KeyedPublisher {

    private final MutinyEmitter<SpecificRecord> emitter;
    private final String source;

    public KeyedPublisher(MutinyEmitter<SpecificRecord> emitter, String source) {
        this.emitter = emitter;
        this.source = source;
    }

    public Uni<Void> publish(SpecificRecord record) {
        return emitter.sendMessage(RunwayMessages.keyed(record, source));
    }
}
