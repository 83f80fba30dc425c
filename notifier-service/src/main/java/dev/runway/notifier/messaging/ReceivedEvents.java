package dev.runway.notifier.messaging;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import org.apache.avro.specific.SpecificRecord;

import dev.runway.events.Envelopes;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * The events this notifier has accepted (their deliveries stored), newest last (bounded, in memory),
 * and a counter per record type at {@code runway_notifier_events_received_total}. Notifications do not depend on it
 * (they go through Postgres); it answers "did the consumer see this record?" for operators and tests.
 */
@ApplicationScoped
public class ReceivedEvents {

    private static final int KEEP = 200;

    private final Deque<SpecificRecord> recent = new ArrayDeque<>();
    private final MeterRegistry meters;

    public ReceivedEvents(MeterRegistry meters) {
        this.meters = meters;
    }

    void record(SpecificRecord event) {
        meters.counter("runway.notifier.events.received", "type", event.getSchema().getName()).increment();
        synchronized (recent) {
            recent.addLast(event);
            if (recent.size() > KEEP) {
                recent.removeFirst();
            }
        }
    }

    public Optional<SpecificRecord> byEventId(String eventId) {
        synchronized (recent) {
            return recent.stream().filter(e -> Envelopes.headerOf(e).getEventId().equals(eventId)).findFirst();
        }
    }

    public List<SpecificRecord> recent() {
        synchronized (recent) {
            return List.copyOf(recent);
        }
    }
}
