package dev.runway.notifier.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.HashSet;
import java.util.Random;
import java.util.Set;

import org.junit.jupiter.api.Test;

class BackoffTest {

    private static final Duration INITIAL = Duration.ofSeconds(2);
    private static final Duration MAX = Duration.ofMinutes(5);

    @Test
    void shouldDoubleEachAttemptUpToTheCapWithoutJitter() {
        Random r = new Random(1);
        assertEquals(Duration.ofSeconds(2), Backoff.delay(1, INITIAL, MAX, 0, r));
        assertEquals(Duration.ofSeconds(4), Backoff.delay(2, INITIAL, MAX, 0, r));
        assertEquals(Duration.ofSeconds(8), Backoff.delay(3, INITIAL, MAX, 0, r));
        assertEquals(MAX, Backoff.delay(12, INITIAL, MAX, 0, r));
        assertEquals(MAX, Backoff.delay(1_000, INITIAL, MAX, 0, r));
    }

    @Test
    void shouldSpreadDelaysWithinTheJitterBand() {
        Random r = new Random(42);
        Set<Duration> seen = new HashSet<>();
        for (int i = 0; i < 200; i++) {
            Duration d = Backoff.delay(3, INITIAL, MAX, 0.5, r);
            assertTrue(d.toMillis() >= 4_000 && d.toMillis() <= 8_000, "8 s with 50 % jitter stays in [4 s, 8 s]: " + d);
            seen.add(d);
        }
        assertTrue(seen.size() > 100, "delays differ: " + seen.size());
    }
}
