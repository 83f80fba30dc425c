package dev.runway.orchestrator.saga;

/** The undo of a forward step: a command to the executor, or nothing to undo. */
public enum Compensation {
    NONE,
    /** Tear down the idle colour that received the new version. */
    REMOVE_GREEN,
    /** `kubectl rollout undo` equivalent. */
    UNDO_ROLLOUT,
    /** All traffic back to the stable (blue) slot; covers every canary step at once. */
    ROLLBACK_TRAFFIC,
    /** DOWN sections where present, else restore the backup taken in the same deployment. */
    RESTORE_DATABASE
}
