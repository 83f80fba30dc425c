package dev.runway.executor.support;

import java.util.concurrent.atomic.AtomicLong;

/** Fencing tokens that only grow, across test classes and runs (the executor keeps the newest per environment). */
public final class FencingTokens {

    private static final AtomicLong LAST = new AtomicLong();

    private FencingTokens() {
    }

    public static long next() {
        return LAST.updateAndGet(prev -> Math.max(prev + 1, System.currentTimeMillis() * 1000));
    }
}
