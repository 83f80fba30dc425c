package dev.runway.healthwatcher.rules;

import java.time.Instant;

/** One observation of one series; {@code value} is NaN when the source gave no data. */
public record Point(Instant at, double value) {

    public boolean hasData() {
        return !Double.isNaN(value);
    }
}
