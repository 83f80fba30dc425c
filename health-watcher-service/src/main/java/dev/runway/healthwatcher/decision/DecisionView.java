package dev.runway.healthwatcher.decision;

import java.util.List;

/**
 * A decision as people see it (GET /decisions, the SSE stream, the page): the record's fields plus
 * the evidence behind it. Values are null where a sample had no data. {@code client} is the project's
 * client (tenant), null for records written before tenancy (then only agency-wide readers see it).
 */
public record DecisionView(String eventId, String kind, String watchId, String deploymentId, String environment,
        String project, String client, String step, String version, String phase, String component, String decidedAt, String metric,
        Double value, Double threshold, Integer windowSeconds, String source, List<SampleView> samples, String priority,
        String mode, Integer timeframeSeconds, String reason, String summary, String breachEventId, String causationId) {

    public record SampleView(String at, Double value) {
    }

    /** The same view with the project and client stored beside it. */
    public DecisionView ofTenant(String project, String client) {
        return new DecisionView(eventId, kind, watchId, deploymentId, environment, project, client, step, version, phase, component,
                decidedAt, metric, value, threshold, windowSeconds, source, samples, priority, mode, timeframeSeconds, reason, summary,
                breachEventId, causationId);
    }

    public static Double orNull(double v) {
        return Double.isNaN(v) || Double.isInfinite(v) ? null : v;
    }
}
