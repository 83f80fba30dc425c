package dev.runway.healthwatcher.rules;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * "value above threshold, sustained for N seconds" on one series.
 *
 * <p>A run starts with the first sample above the threshold and ends at the first sample at or
 * below it. The rule breaches at the first sample whose time is at least {@code sustained} after
 * the run's first sample ({@code >=}: with 1 s samples and 120 s, the 121st bad sample breaches; with
 * 0 s, the first). NaN samples (no data) neither extend nor end a run: a version that fails and
 * sometimes does not answer its metrics must not escape a rollback by going quiet. A transient spike
 * (run shorter than {@code sustained}) never breaches.
 */
public final class SustainedRule {

    /** Evidence kept per run: enough for two minutes at 1 s plus the surrounding gaps. */
    static final int MAX_EVIDENCE = 600;

    private final String component;
    private final Metric metric;
    private final double threshold;
    private final Duration sustained;
    private final List<Point> run = new ArrayList<>();
    private Point runStart;
    private double runMin = Double.POSITIVE_INFINITY;
    private String source;
    private String detail;
    private boolean breached;

    public SustainedRule(String component, Metric metric, double threshold, Duration sustained) {
        this.component = component;
        this.metric = metric;
        this.threshold = threshold;
        this.sustained = sustained;
    }

    /** Feeds one sample; returns the breach once, at the sample that completes the sustained window. */
    public Optional<Breach> offer(Point point, String source, String detail) {
        if (breached) {
            return Optional.empty();
        }
        if (!point.hasData()) {
            if (runStart != null) {
                remember(point);
            }
            return Optional.empty();
        }
        if (point.value() <= threshold) {
            run.clear();
            runStart = null;
            runMin = Double.POSITIVE_INFINITY;
            return Optional.empty();
        }
        if (runStart == null) {
            runStart = point;
        }
        remember(point);
        runMin = Math.min(runMin, point.value());
        this.source = source;
        this.detail = detail;
        if (!point.at().isBefore(runStart.at().plus(sustained))) {
            breached = true;
            return Optional.of(new Breach(component, metric, runMin, threshold, (int) sustained.toSeconds(), source,
                    List.copyOf(run), point.at(), detail));
        }
        return Optional.empty();
    }

    private void remember(Point point) {
        if (run.size() == MAX_EVIDENCE) {
            run.remove(0);
        }
        run.add(point);
    }

    /** A run above the threshold is under way and has not yet lasted long enough. */
    public boolean open() {
        return runStart != null && !breached;
    }

    public String component() {
        return component;
    }

    public Metric metric() {
        return metric;
    }

    public double threshold() {
        return threshold;
    }

    public Duration sustained() {
        return sustained;
    }
}
