package dev.runway.notifier.support;

import java.time.Duration;
import java.util.function.Supplier;

/** Polls a condition until it holds or the time is up (then fails with {@code what}). */
public final class Eventually {

    private Eventually() {
    }

    public static <T> T await(String what, Duration timeout, Supplier<T> probe, java.util.function.Predicate<T> done) {
        long deadline = System.nanoTime() + timeout.toNanos();
        T last = null;
        while (System.nanoTime() < deadline) {
            last = probe.get();
            if (done.test(last)) {
                return last;
            }
            sleep(100);
        }
        throw new AssertionError("within " + timeout + ": " + what + "; last seen: " + last);
    }

    public static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
