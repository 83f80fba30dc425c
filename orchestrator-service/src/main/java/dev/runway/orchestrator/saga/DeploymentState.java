package dev.runway.orchestrator.saga;

/** The states a deployment shows to users; the last six are terminal. */
public enum DeploymentState {
    REQUESTED, VALIDATING, AWAITING_APPROVAL, AWAITING_WINDOW, QUEUED, BACKING_UP, MIGRATING, DEPLOYING,
    VERIFYING, SHIFTING, MONITORING, COMPENSATING,
    SUCCEEDED, ROLLED_BACK, NEEDS_ATTENTION, CANCELLED, FAILED;

    public boolean terminal() {
        return ordinal() >= SUCCEEDED.ordinal();
    }
}
