package dev.runway.healthwatcher.rules;

/** What a rule watches; {@link #key()} is the {@code metric} name written on {@code ThresholdBreached}. */
public enum Metric {
    ERROR_RATE("error_rate", "%"),
    LATENCY_P99("latency_p99", "ms"),
    LATENCY_P95("latency_p95", "ms"),
    /** 1 while the health endpoint does not answer the expected status (after retries), else 0. */
    HEALTH("health_check_failing", ""),
    /** How much slower (p95, %) the new version is than the stable one, when both have traffic. */
    BASELINE_DEGRADATION("latency_p95_over_baseline", "%"),
    /** Share (%) of a window's ticks in which every required source gave a value. */
    INSUFFICIENT_DATA("insufficient_data", "%");

    private final String key;
    private final String unit;

    Metric(String key, String unit) {
        this.key = key;
        this.unit = unit;
    }

    public String key() {
        return key;
    }

    public String unit() {
        return unit;
    }
}
