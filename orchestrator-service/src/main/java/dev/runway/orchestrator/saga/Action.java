package dev.runway.orchestrator.saga;

/**
 * What a forward step does. Gates and local steps are carried out by the orchestrator itself;
 * command steps send one command to a participant and wait for its reply; watch steps ask the
 * health-watcher for a verdict.
 */
public enum Action {
    VALIDATE(Kind.REPLY, DeploymentState.VALIDATING),
    APPROVAL(Kind.GATE, DeploymentState.AWAITING_APPROVAL),
    WINDOW(Kind.GATE, DeploymentState.AWAITING_WINDOW),
    ACQUIRE_LOCK(Kind.GATE, DeploymentState.QUEUED),
    BACKUP_DATABASE(Kind.COMMAND, DeploymentState.BACKING_UP),
    APPLY_MIGRATIONS(Kind.COMMAND, DeploymentState.MIGRATING),
    DEPLOY_GREEN(Kind.COMMAND, DeploymentState.DEPLOYING),
    ROLL_OUT(Kind.COMMAND, DeploymentState.DEPLOYING),
    VERIFY(Kind.WATCH, DeploymentState.VERIFYING),
    SHIFT_TRAFFIC(Kind.COMMAND, DeploymentState.SHIFTING),
    WATCH_CANARY(Kind.WATCH, DeploymentState.SHIFTING),
    MONITOR(Kind.WATCH, DeploymentState.MONITORING),
    /** The new colour becomes the live one; the colour it replaced keeps running for the keep period. */
    PROMOTE_GREEN(Kind.COMMAND, DeploymentState.SHIFTING),
    RELEASE_LOCK(Kind.LOCAL, DeploymentState.MONITORING);

    /**
     * How the orchestrator carries the step out: REPLY asks the validator ({@code ValidatorProxy}), COMMAND the
     * executor ({@code ExecutorProxy}), WATCH the health-watcher ({@code HealthWatcherProxy}); GATE and LOCAL are
     * the orchestrator's own.
     */
    public enum Kind { REPLY, GATE, COMMAND, WATCH, LOCAL }

    private final Kind kind;
    private final DeploymentState state;

    Action(Kind kind, DeploymentState state) {
        this.kind = kind;
        this.state = state;
    }

    public Kind kind() {
        return kind;
    }

    /** The deployment's state while this step runs forward. */
    public DeploymentState state() {
        return state;
    }

    /** True once this step may have changed what users see (traffic or the running version). */
    public boolean movesTraffic() {
        return this == SHIFT_TRAFFIC || this == ROLL_OUT || this == PROMOTE_GREEN;
    }
}
