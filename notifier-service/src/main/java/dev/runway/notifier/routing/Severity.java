package dev.runway.notifier.routing;

/** How urgently a person should look; rules drop notifications below an environment's minimum. */
public enum Severity {
    INFO, WARNING, CRITICAL;

    public boolean atLeast(Severity other) {
        return compareTo(other) >= 0;
    }
}
