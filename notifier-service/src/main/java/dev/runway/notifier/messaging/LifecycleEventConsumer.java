package dev.runway.notifier.messaging;

import jakarta.enterprise.context.ApplicationScoped;

import org.apache.avro.specific.SpecificRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;

import dev.runway.events.Topics;

/** Reads the public lifecycle topic; every decoded event goes to the {@link ReceivedEvents} log. */
@ApplicationScoped
public class LifecycleEventConsumer {

    private final ReceivedEvents received;

    public LifecycleEventConsumer(ReceivedEvents received) {
        this.received = received;
    }

    @Incoming(Topics.DEPLOYMENTS)
    public void onEvent(SpecificRecord event) {
        received.record(event);
    }
}
