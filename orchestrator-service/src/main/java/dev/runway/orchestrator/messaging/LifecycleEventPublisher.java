package dev.runway.orchestrator.messaging;

import jakarta.enterprise.context.ApplicationScoped;

import org.apache.avro.specific.SpecificRecord;
import org.eclipse.microprofile.reactive.messaging.Channel;

import dev.runway.events.Topics;
import dev.runway.messaging.KeyedPublisher;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;

/** Publishes this service's records on {@value Topics#DEPLOYMENTS}, keyed by deployment id. */
@ApplicationScoped
public class LifecycleEventPublisher {

    static final String SOURCE = "/runway/orchestrator";

    private final KeyedPublisher publisher;

    public LifecycleEventPublisher(@Channel(Topics.DEPLOYMENTS) MutinyEmitter<SpecificRecord> emitter) {
        this.publisher = new KeyedPublisher(emitter, SOURCE);
    }

    /** Completes once the broker has the record. */
    public Uni<Void> publish(SpecificRecord record) {
        return publisher.publish(record);
    }
}
