package dev.runway.healthwatcher.decision;

import java.util.List;

/**
 * A decision as people see it (GET /decisions, the SSE stream, the page): the record's fields plus
 * the evidence behind it. Values are null where a sample had no data.
 */
public record DecisionView(String eventId, String kind, String watchId, String deploymentId, String environment,
        String project, String step, String version, String phase, String component, String decidedAt, String metric,
        Double value, Double threshold, Integer windowSeconds, String source, List<SampleView> samples, String priority,
        String mode, Integer timeframeSeconds, String reason, String summary, String breachEventId, String causationId) {

    public record SampleView(String at, Double value) {
    }

    public static Double orNull(double v) {
        return Double.isNaN(v) || Double.isInfinite(v) ? null : v;
    }
}
