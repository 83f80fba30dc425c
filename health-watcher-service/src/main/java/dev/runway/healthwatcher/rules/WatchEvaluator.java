package dev.runway.healthwatcher.rules;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.StringJoiner;

/**
 * The rules of one watch, fed one tick of observations at a time. Plain Java: no clock, no I/O,
 * so synthetic series test it exactly.
 *
 * <ul>
 * <li>Each (component, metric) series with a threshold gets a {@link SustainedRule}; error rate and
 * health always have one, latency p99/p95 and baseline degradation when the watch sets them.</li>
 * <li>The first tick with a breach ends the watch with the highest-priority breach of that tick.</li>
 * <li>At the window's end the watch passes only if every required series (error rate where traffic is expected, health) had
 * data in at least {@code minCoveragePercent} of the window's ticks, and no rule is in the middle of
 * a run above its threshold (it is watched until the run either clears or breaches).</li>
 * <li>A window without enough data is its own result: no pass; the window is extended, and after
 * {@code maxInsufficientWindows} such windows the watch fails with metric {@code insufficient_data}.</li>
 * </ul>
 */
public final class WatchEvaluator {

    /**
     * A watch's rules: thresholds from the StartWatch, the rest from configuration. {@code trafficExpected} is false
     * where no user traffic reaches the new version by design (a green slot before the shift): its error rate is then
     * judged when there is data (smoke tests) but not required for a pass; health always is.
     */
    public record Settings(double errorRatePercent, Double latencyP99Ms, Double latencyP95Ms, Duration sustained,
            Double baselineDegradationPercent, Duration window, double minCoveragePercent, int maxInsufficientWindows,
            DecisionMatrix matrix, boolean trafficExpected) {
    }

    /** The latest state of one series, for the SRE page. */
    public record SeriesView(String component, String metric, String unit, String source, double value, Double threshold,
            boolean breaching, String detail, double coveragePercent) {
    }

    private final Settings settings;
    private final Map<String, Series> series = new LinkedHashMap<>();
    private Instant windowEnd;
    private int windowTicks;
    private int totalTicks;
    private int insufficientWindows;
    private boolean done;

    public WatchEvaluator(Settings settings, Instant start) {
        this.settings = settings;
        this.windowEnd = start.plus(settings.window());
    }

    private final class Series {
        final String component;
        final Metric metric;
        final SustainedRule rule;
        final List<Point> windowPoints = new ArrayList<>();
        int dataTicks;
        Observation last;

        Series(String component, Metric metric) {
            this.component = component;
            this.metric = metric;
            Double threshold = thresholdOf(metric);
            this.rule = threshold == null ? null : new SustainedRule(component, metric, threshold, settings.sustained());
        }

        boolean required() {
            return metric == Metric.HEALTH || metric == Metric.ERROR_RATE && settings.trafficExpected();
        }

        double coverage() {
            return windowTicks == 0 ? 0 : 100.0 * dataTicks / windowTicks;
        }
    }

    Double thresholdOf(Metric metric) {
        return switch (metric) {
            case ERROR_RATE -> settings.errorRatePercent();
            case LATENCY_P99 -> settings.latencyP99Ms();
            case LATENCY_P95 -> settings.latencyP95Ms();
            case HEALTH -> 0.0;
            case BASELINE_DEGRADATION -> settings.baselineDegradationPercent();
            case INSUFFICIENT_DATA -> null;
        };
    }

    /** One tick: every observation taken at {@code now}. */
    public Verdict tick(Instant now, List<Observation> observations) {
        if (done) {
            return Verdict.CONTINUE;
        }
        windowTicks++;
        totalTicks++;
        List<Breach> breaches = new ArrayList<>();
        for (Observation o : observations) {
            Series s = series.computeIfAbsent(o.component() + "/" + o.metric().key(), k -> new Series(o.component(), o.metric()));
            // A series first seen mid-window counts from the window's start: its missing ticks had no data.
            Point p = new Point(now, o.value());
            s.last = o;
            if (p.hasData()) {
                s.dataTicks++;
            }
            if (s.windowPoints.size() < SustainedRule.MAX_EVIDENCE) {
                s.windowPoints.add(p);
            }
            if (s.rule != null) {
                s.rule.offer(p, o.source(), o.detail()).ifPresent(breaches::add);
            }
        }
        if (!breaches.isEmpty()) {
            done = true;
            Breach worst = breaches.stream().min(Comparator.comparingInt(settings.matrix()::rank)).orElseThrow();
            return new Verdict.Breached(worst, settings.matrix().decide(worst));
        }
        if (now.isBefore(windowEnd)) {
            return Verdict.CONTINUE;
        }
        if (series.values().stream().anyMatch(s -> s.rule != null && s.rule.open())
                && now.isBefore(windowEnd.plus(settings.sustained()).plusSeconds(1))) {
            return Verdict.CONTINUE; // a run above a threshold is under way: no verdict until it clears or breaches
        }
        Optional<Series> thinnest = series.values().stream().filter(Series::required)
                .min(Comparator.comparingDouble(Series::coverage));
        double coverage = thinnest.map(Series::coverage).orElse(0.0);
        if (coverage >= settings.minCoveragePercent()) {
            done = true;
            return new Verdict.Passed(totalTicks, summary(coverage));
        }
        insufficientWindows++;
        if (insufficientWindows < settings.maxInsufficientWindows()) {
            Instant oldEnd = windowEnd;
            windowEnd = now.plus(settings.window());
            resetWindow();
            return new Verdict.Extended(insufficientWindows, coverage, windowEnd.isAfter(oldEnd) ? windowEnd : oldEnd);
        }
        done = true;
        Series s = thinnest.orElse(null);
        Breach breach = new Breach(s == null ? "-" : s.component, Metric.INSUFFICIENT_DATA, coverage,
                settings.minCoveragePercent(), (int) settings.window().toSeconds(),
                s == null || s.last == null ? "no source configured" : s.last.source(),
                s == null ? List.of() : List.copyOf(s.windowPoints),
                now, insufficientWindows + " window(s) without enough data"
                        + (s == null || s.last == null || s.last.detail() == null ? "" : "; last: " + s.last.detail()));
        return new Verdict.Breached(breach, settings.matrix().decide(breach));
    }

    private void resetWindow() {
        windowTicks = 0;
        for (Series s : series.values()) {
            s.dataTicks = 0;
            s.windowPoints.clear();
        }
    }

    private String summary(double coverage) {
        StringJoiner joiner = new StringJoiner("; ");
        for (Series s : series.values()) {
            if (s.rule == null) {
                continue;
            }
            double max = s.windowPoints.stream().filter(Point::hasData).mapToDouble(Point::value).max().orElse(Double.NaN);
            joiner.add(s.component + " " + s.metric.key() + " max " + DecisionMatrix.fmt(max) + " " + s.metric.unit()
                    + " ≤ " + DecisionMatrix.fmt(s.rule.threshold()) + " " + s.metric.unit());
        }
        return totalTicks + " samples, data coverage " + DecisionMatrix.fmt(coverage) + " %: " + joiner;
    }

    /** Latest value of every series, against its threshold. */
    public List<SeriesView> view() {
        List<SeriesView> out = new ArrayList<>();
        for (Series s : series.values()) {
            if (s.last == null) {
                continue;
            }
            out.add(new SeriesView(s.component, s.metric.key(), s.metric.unit(), s.last.source(), s.last.value(),
                    s.rule == null ? null : s.rule.threshold(), s.rule != null && s.rule.open(), s.last.detail(), s.coverage()));
        }
        return out;
    }

    public Instant windowEnd() {
        return windowEnd;
    }

    public int insufficientWindows() {
        return insufficientWindows;
    }

    public int ticks() {
        return totalTicks;
    }
}
