package dev.runway.healthwatcher.rules;

import java.time.Instant;
import java.util.List;

/**
 * A rule held for its sustained window. {@code value} is the lowest (least bad) value of the run:
 * the series stayed at least this bad the whole time. {@code completedAt} is the time of the sample
 * that completed the sustained window.
 */
public record Breach(String component, Metric metric, double value, double threshold, int sustainedSeconds,
        String source, List<Point> samples, Instant completedAt, String detail) {
}
