package dev.runway.healthwatcher.metrics;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

import jakarta.enterprise.context.ApplicationScoped;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/** The watcher's own Prometheus metrics (at /q/metrics). */
@ApplicationScoped
public class WatcherMetrics {

    private final MeterRegistry registry;
    private final Timer tickLag;
    private final Timer breachToPublish;
    private final Counter skippedTicks;
    private final List<Long> recentLags = new ArrayList<>();
    private final AtomicLong skippedSinceDrain = new AtomicLong();

    public WatcherMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.tickLag = Timer.builder("runway_health_tick_lag").description("Scheduled tick time to the end of its sampling")
                .publishPercentiles(0.5, 0.99).register(registry);
        this.breachToPublish = Timer.builder("runway_health_breach_to_publish")
                .description("Sample completing a sustained breach to the broker's acknowledgement of ThresholdBreached")
                .publishPercentiles(0.5, 0.99).register(registry);
        this.skippedTicks = Counter.builder("runway_health_skipped_ticks").description("Ticks skipped because the previous one of the same watch was still sampling")
                .register(registry);
    }

    public void activeWatches(Supplier<Number> count) {
        registry.gauge("runway_health_watches_active", count, s -> s.get().doubleValue());
    }

    public void tickLag(Duration lag) {
        tickLag.record(lag);
        synchronized (recentLags) {
            if (recentLags.size() < 1_000_000) {
                recentLags.add(lag.toNanos());
            }
        }
    }

    public void skippedTick() {
        skippedTicks.increment();
        skippedSinceDrain.incrementAndGet();
    }

    /** Tick lags (ns) and skipped ticks since the previous call: what the capacity benchmark reads per step. */
    public record LagSample(long[] lagsNanos, long skipped) {
    }

    public LagSample drainLags() {
        long[] lags;
        synchronized (recentLags) {
            lags = recentLags.stream().mapToLong(Long::longValue).toArray();
            recentLags.clear();
        }
        return new LagSample(lags, skippedSinceDrain.getAndSet(0));
    }

    public void breachToPublish(Duration d) {
        breachToPublish.record(d);
    }

    public void decision(String kind, String metric, String priority) {
        registry.counter("runway_health_decisions", "kind", kind, "metric", metric == null ? "" : metric,
                "priority", priority == null ? "" : priority).increment();
    }

    public void sourceFailure(String kind) {
        registry.counter("runway_health_source_failures", "source", kind).increment();
    }

    /** A fetch not made (refused: the address is not allowed) or cut off (too-large), by source. */
    public void outboundBlocked(String source, String reason) {
        registry.counter("runway_health_outbound_blocked", "source", source, "reason", reason).increment();
    }

    public void commandRejected(String reason) {
        registry.counter("runway_health_commands_dead_lettered", "reason", reason).increment();
    }

    public DistributionSummary scrapeDuration(String kind) {
        return DistributionSummary.builder("runway_health_source_duration_ms").tag("source", kind).register(registry);
    }
}
