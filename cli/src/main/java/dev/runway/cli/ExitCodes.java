package dev.runway.cli;

import java.util.Locale;

/** The exit codes CI scripts can rely on (documented in cli/README.md). */
public final class ExitCodes {

    /** Deployment accepted (without --wait), SUCCEEDED, or a query answered. */
    public static final int OK = 0;
    /** The deployment ended FAILED, ROLLED_BACK or CANCELLED (for validate: errors block the deployment). */
    public static final int DEPLOYMENT_FAILED = 1;
    /** Bad command line. */
    public static final int USAGE = 2;
    /** The deployment ended NEEDS_ATTENTION: a person has to decide. */
    public static final int NEEDS_ATTENTION = 3;
    /** --wait gave up before a final state (the deployment goes on). */
    public static final int TIMEOUT = 4;
    /** The API refused the request (4xx problem+json). */
    public static final int REFUSED = 5;
    /** The orchestrator could not be reached or answered 5xx. */
    public static final int UNAVAILABLE = 6;

    private ExitCodes() {
    }

    /** Exit code of a deployment's final state; -1 while it is not final. */
    public static int ofState(String state) {
        if (state == null) {
            return -1;
        }
        return switch (state.toUpperCase(Locale.ROOT)) {
            case "SUCCEEDED" -> OK;
            case "FAILED", "ROLLED_BACK", "CANCELLED" -> DEPLOYMENT_FAILED;
            case "NEEDS_ATTENTION" -> NEEDS_ATTENTION;
            default -> -1;
        };
    }

    /** The orchestrator's terminal states (saga/DeploymentState#terminal). */
    public static boolean isFinal(String state) {
        return ofState(state) >= 0;
    }

    /** Exit code of an HTTP error status. */
    public static int ofHttpStatus(int status) {
        return status >= 400 && status < 500 ? REFUSED : UNAVAILABLE;
    }
}
