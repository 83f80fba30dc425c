package dev.runway.healthwatcher.rules;

import java.time.Instant;

/** What one tick of a watch concluded. */
public sealed interface Verdict {

    /** Keep watching. */
    record Continue() implements Verdict {
    }

    /** A rule held for its sustained window (or the data stayed insufficient for too long). */
    record Breached(Breach breach, DecisionMatrix.Decision decision) implements Verdict {
    }

    /** The window ended with enough data and every rule satisfied. */
    record Passed(int samples, String summary) implements Verdict {
    }

    /** The window ended without enough data: not promoted, watched for one more window. */
    record Extended(int insufficientWindows, double coveragePercent, Instant newWindowEnd) implements Verdict {
    }

    Continue CONTINUE = new Continue();
}
