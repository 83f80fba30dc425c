package dev.runway.messaging.inbound;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import org.apache.kafka.clients.consumer.ConsumerRecord;

import dev.runway.messaging.Redaction;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * The records a service is retrying right now because something it depends on failed (Postgres, Redis, the
 * registry, the broker). Such a record is retried without bound, so it is never lost; this is how the outage is seen
 * meanwhile: {@code runway_inbound_retries_total{topic}} counts the failed tries, {@code runway_inbound_retrying}
 * the records waiting for another, and {@link InboundReadiness} turns the service's readiness DOWN once one has been
 * failing for longer than {@link InboundConfig#unreadyAfter()}.
 */
@Singleton
public class InboundRetries {

    /** A record in retry: since when, how often, and why (redacted: a reason can quote a connection string). */
    public record Retrying(String record, Instant since, int tries, String reason) {
    }

    private final Map<String, Retrying> retrying = new ConcurrentHashMap<>();
    private final Map<String, Counter> counters = new ConcurrentHashMap<>();
    private final MeterRegistry meters;
    private final Duration unreadyAfter;
    private final Clock clock;

    @Inject
    public InboundRetries(MeterRegistry meters, InboundConfig config) {
        this(meters, config.unreadyAfter(), Clock.systemUTC());
    }

    InboundRetries(MeterRegistry meters, Duration unreadyAfter, Clock clock) {
        this.meters = meters;
        this.unreadyAfter = unreadyAfter;
        this.clock = clock;
        Gauge.builder("runway.inbound.retrying", retrying, Map::size)
                .description("Records being retried because a dependency failed (never dead-lettered for that)")
                .register(meters);
    }

    /** The record's handling failed through no fault of its own; it will be tried again. */
    void failed(ConsumerRecord<?, ?> record, Throwable why) {
        counters.computeIfAbsent(record.topic(), topic -> Counter.builder("runway.inbound.retries")
                .description("Failed tries of records that are retried, by topic").tag("topic", topic).register(meters))
                .increment();
        String reason = Redaction.redact(DeadLetter.reason(why));
        retrying.merge(key(record), new Retrying(key(record), clock.instant(), 1, reason),
                (before, now) -> new Retrying(before.record(), before.since(), before.tries() + 1, reason));
    }

    /** The record was handled, or dead-lettered, or its service stops: it no longer waits. */
    void done(ConsumerRecord<?, ?> record) {
        retrying.remove(key(record));
    }

    /** The record failing for longest, if any has been failing for longer than the readiness threshold. */
    public Optional<Retrying> stalled() {
        Instant limit = clock.instant().minus(unreadyAfter);
        return retrying.values().stream().filter(r -> r.since().isBefore(limit))
                .min(Comparator.comparing(Retrying::since));
    }

    /** How many records wait for another try. */
    public int count() {
        return retrying.size();
    }

    private static String key(ConsumerRecord<?, ?> record) {
        return record.topic() + "-" + record.partition() + "@" + record.offset();
    }
}
