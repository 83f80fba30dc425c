package dev.runway.validator.messaging;

import jakarta.enterprise.context.ApplicationScoped;

import org.apache.avro.specific.SpecificRecord;
import org.eclipse.microprofile.reactive.messaging.Channel;

import dev.runway.events.Topics;
import dev.runway.messaging.KeyedPublisher;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;

/** Publishes this service's records on {@value Topics#VALIDATION_RESULTS}, keyed by deployment id. */
@ApplicationScoped
public class ValidationResultPublisher {

    static final String SOURCE = "/runway/validator";

    private final KeyedPublisher publisher;

    public ValidationResultPublisher(@Channel(Topics.VALIDATION_RESULTS) MutinyEmitter<SpecificRecord> emitter) {
        this.publisher = new KeyedPublisher(emitter, SOURCE);
    }

    /** Completes once the broker has the record. */
    public Uni<Void> publish(SpecificRecord record) {
        return publisher.publish(record);
    }
}
