package dev.runway.cli.api;

/** The orchestrator did not answer at all (refused, timed out, unknown host). */
public class UnreachableException extends RuntimeException {

    public UnreachableException(String message) {
        super(message);
    }
}
