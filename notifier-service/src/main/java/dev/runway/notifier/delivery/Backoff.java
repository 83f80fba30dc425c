package dev.runway.notifier.delivery;

import java.time.Duration;
import java.util.random.RandomGenerator;

/**
 * Exponential backoff with jitter: after the n-th failed attempt wait
 * {@code min(max, initial * 2^(n-1))}, of which a {@code jitter} fraction is random, so that many
 * deliveries failing together (an endpoint outage) do not retry in lock-step.
 */
public final class Backoff {

    private Backoff() {
    }

    public static Duration delay(int failedAttempts, Duration initial, Duration max, double jitter, RandomGenerator random) {
        int exponent = Math.max(0, Math.min(failedAttempts - 1, 30));
        double base = Math.min((double) max.toMillis(), initial.toMillis() * Math.pow(2, exponent));
        double j = Math.max(0, Math.min(1, jitter));
        double millis = base * (1 - j) + base * j * random.nextDouble();
        return Duration.ofMillis(Math.max(1, Math.round(millis)));
    }
}
