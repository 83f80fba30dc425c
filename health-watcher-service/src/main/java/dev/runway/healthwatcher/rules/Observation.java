package dev.runway.healthwatcher.rules;

/**
 * One tick's value of one series: a metric of one component, read from {@code source} (URL or query).
 * {@code detail} says what a person needs next to the number (e.g. "got 503 after 3 attempts").
 */
public record Observation(String component, Metric metric, String source, double value, String detail) {

    public Observation(String component, Metric metric, String source, double value) {
        this(component, metric, source, value, null);
    }
}
