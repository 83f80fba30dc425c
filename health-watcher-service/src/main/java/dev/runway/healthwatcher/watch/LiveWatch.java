package dev.runway.healthwatcher.watch;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.Consumer;

import dev.runway.events.StartWatch;
import dev.runway.healthwatcher.metrics.WatcherMetrics;
import dev.runway.healthwatcher.rules.Observation;
import dev.runway.healthwatcher.rules.Verdict;
import dev.runway.healthwatcher.rules.WatchEvaluator;
import dev.runway.healthwatcher.sources.TargetReader;

/**
 * One running watch: every tick its {@link TargetReader} reads all sources at once, its
 * {@link WatchEvaluator} judges the observations, and a verdict other than "continue" is reported. A
 * tick that is still sampling when the next is due makes that next one skip (counted), so a slow
 * target never piles up requests.
 */
public final class LiveWatch {

    /** What the page shows of a live watch, taken at one moment. */
    public record Snapshot(StartWatch command, String state, Instant startedAt, Instant lastSampleAt, Instant windowEndsAt,
            int samples, int insufficientWindows, List<WatchEvaluator.SeriesView> series) {
    }

    private final StartWatch command;
    private final WatchEvaluator evaluator;
    private final TargetReader reader;
    private final WatcherMetrics metrics;
    private final Consumer<Verdict> onVerdict;
    private final Instant startedAt;
    private volatile boolean busy;
    private volatile boolean finished;
    private volatile long timerId = -1;
    private volatile Instant lastTickAt;
    private volatile String state = "watching";

    LiveWatch(StartWatch command, WatchEvaluator evaluator, TargetReader reader, Instant startedAt, WatcherMetrics metrics,
            Consumer<Verdict> onVerdict) {
        this.command = command;
        this.evaluator = evaluator;
        this.reader = reader;
        this.startedAt = startedAt;
        this.metrics = metrics;
        this.onVerdict = onVerdict;
    }

    /** One tick, due at {@code dueNanos} (System.nanoTime); {@code clock} gives sample times. */
    void tick(long dueNanos, Clock clock) {
        if (finished) {
            return;
        }
        if (busy) {
            metrics.skippedTick();
            return;
        }
        busy = true;
        reader.read(clock).onComplete(done -> {
            try {
                if (finished) {
                    return;
                }
                List<Observation> observations = done.succeeded() ? done.result() : List.of();
                Instant now = clock.instant();
                lastTickAt = now;
                Verdict verdict;
                synchronized (evaluator) {
                    verdict = evaluator.tick(now, observations);
                }
                metrics.tickLag(Duration.ofNanos(System.nanoTime() - dueNanos));
                if (verdict instanceof Verdict.Breached || verdict instanceof Verdict.Passed) {
                    finished = true;
                }
                if (!(verdict instanceof Verdict.Continue)) {
                    onVerdict.accept(verdict);
                }
            } finally {
                busy = false;
            }
        });
    }

    public StartWatch command() {
        return command;
    }

    public String watchId() {
        return command.getWatchId();
    }

    void timerId(long id) {
        this.timerId = id;
    }

    long timerId() {
        return timerId;
    }

    void finish(String state) {
        this.finished = true;
        this.state = state;
    }

    void state(String state) {
        this.state = state;
    }

    public Snapshot snapshot() {
        synchronized (evaluator) {
            return new Snapshot(command, state, startedAt, lastTickAt, evaluator.windowEnd(), evaluator.ticks(),
                    evaluator.insufficientWindows(), evaluator.view());
        }
    }
}
