package dev.runway.executor.messaging;

import jakarta.enterprise.context.ApplicationScoped;

import org.apache.avro.specific.SpecificRecord;
import org.eclipse.microprofile.reactive.messaging.Channel;

import dev.runway.events.Topics;
import dev.runway.messaging.KeyedPublisher;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;

/** Publishes this service's records on {@value Topics#EXECUTOR_RESULTS}, keyed by deployment id. */
@ApplicationScoped
public class ExecutorResultPublisher {

    static final String SOURCE = "/runway/executor";

    private final KeyedPublisher publisher;

    public ExecutorResultPublisher(@Channel(Topics.EXECUTOR_RESULTS) MutinyEmitter<SpecificRecord> emitter) {
        this.publisher = new KeyedPublisher(emitter, SOURCE);
    }

    /** Completes once the broker has the record. */
    public Uni<Void> publish(SpecificRecord record) {
        return publisher.publish(record);
    }
}
