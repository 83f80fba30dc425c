package dev.runway.healthwatcher.rules;

import java.util.Locale;

import dev.runway.events.IncidentPriority;
import dev.runway.events.RollbackMode;

/**
 * The rollback decision matrix (sop.md 004, with sop.md 000-10.2 and 001): what a breach means.
 *
 * <ul>
 * <li>error rate above {@code p0ErrorRatePercent} (004: 10 %) → P0, automatic rollback now; a smaller
 * breach of the watch's threshold (004: 5–10 %) → P1, manual rollback recommended within 5 min;</li>
 * <li>latency (p99/p95) above {@code p0LatencyMs} (004: 5 s) → P0 automatic; a smaller breach of the
 * watch's threshold (004: &gt; 3 s) → P1 recommended within 10 min;</li>
 * <li>failing health checks → P0 automatic (sop.md 000-10.2, 004 triggers);</li>
 * <li>p95 slower than the stable version by more than allowed → P1 automatic (001 lists "response
 * time degradation &gt; 50 % from baseline" among the automatic triggers);</li>
 * <li>insufficient data after the allowed windows → P1 recommended: nobody can say the version is bad,
 * but it must not be promoted on no evidence, so a person decides.</li>
 * </ul>
 * The P0 levels never go below the watch's own threshold.
 */
public record DecisionMatrix(double p0ErrorRatePercent, double p0LatencyMs, int errorRateP1TimeframeSeconds,
        int latencyP1TimeframeSeconds, int insufficientDataTimeframeSeconds) {

    public static final DecisionMatrix SEED = new DecisionMatrix(10, 5000, 300, 600, 900);

    /** What to do, how urgently, and why in one sentence. */
    public record Decision(IncidentPriority priority, RollbackMode mode, int timeframeSeconds, String reason) {
    }

    public Decision decide(Breach breach) {
        return switch (breach.metric()) {
            case ERROR_RATE -> breach.value() > Math.max(p0ErrorRatePercent, breach.threshold())
                    ? automatic(IncidentPriority.P0, breach, "error rate above " + fmt(p0ErrorRatePercent) + " %")
                    : recommended(IncidentPriority.P1, errorRateP1TimeframeSeconds, breach,
                            "error rate between the threshold and " + fmt(p0ErrorRatePercent) + " %");
            case LATENCY_P99, LATENCY_P95 -> breach.value() > Math.max(p0LatencyMs, breach.threshold())
                    ? automatic(IncidentPriority.P0, breach, "response time above " + fmt(p0LatencyMs) + " ms")
                    : recommended(IncidentPriority.P1, latencyP1TimeframeSeconds, breach,
                            "response time between the threshold and " + fmt(p0LatencyMs) + " ms");
            case HEALTH -> automatic(IncidentPriority.P0, breach, "health check failing");
            case BASELINE_DEGRADATION -> automatic(IncidentPriority.P1, breach, "response time degraded against the stable version");
            case INSUFFICIENT_DATA -> recommended(IncidentPriority.P1, insufficientDataTimeframeSeconds, breach,
                    "not enough data to judge the version; do not promote");
        };
    }

    /** Lower ranks first: P0 before P1, then the matrix's order of metrics. */
    public int rank(Breach breach) {
        return decide(breach).priority().ordinal() * 100 + breach.metric().ordinal();
    }

    private static Decision automatic(IncidentPriority priority, Breach breach, String why) {
        return new Decision(priority, RollbackMode.AUTOMATIC, 0, describe(breach) + " → " + priority + " (" + why
                + "): automatic rollback now");
    }

    private static Decision recommended(IncidentPriority priority, int timeframe, Breach breach, String why) {
        return new Decision(priority, RollbackMode.RECOMMENDED, timeframe, describe(breach) + " → " + priority + " (" + why
                + "): manual rollback recommended within " + timeframe / 60 + " min");
    }

    /** e.g. "api: error_rate 31.2 % > 5 % for 2 s (http://127.0.0.1:9000/q/metrics)". */
    public static String describe(Breach breach) {
        Metric m = breach.metric();
        String held = m == Metric.INSUFFICIENT_DATA
                ? "data coverage " + fmt(breach.value()) + " % < " + fmt(breach.threshold()) + " %"
                : m == Metric.HEALTH
                        ? "health check failing"
                        : m.key() + " " + fmt(breach.value()) + " " + m.unit() + " > " + fmt(breach.threshold()) + " " + m.unit();
        String window = m == Metric.INSUFFICIENT_DATA ? " over " + breach.sustainedSeconds() + " s" : " for " + breach.sustainedSeconds() + " s";
        String detail = breach.detail() == null ? "" : ", " + breach.detail();
        return breach.component() + ": " + held + window + " (" + breach.source() + detail + ")";
    }

    static String fmt(double v) {
        return v == Math.rint(v) && !Double.isInfinite(v) ? String.valueOf((long) v) : String.format(Locale.ROOT, "%.2f", v);
    }
}
