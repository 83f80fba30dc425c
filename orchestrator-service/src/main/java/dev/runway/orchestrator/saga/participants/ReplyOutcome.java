package dev.runway.orchestrator.saga.participants;

/**
 * What a participant's reply means for the saga.
 *
 * @param verdict what the orchestrator does with it
 * @param step    the step the reply answers (echoed by the participant)
 * @param detail  the outcome in words, for the audit log and the lifecycle events
 */
public record ReplyOutcome(Verdict verdict, String step, String detail) {

    public enum Verdict {
        /** The step is done. */
        SUCCEEDED,
        /** The step failed: the decision matrix applies. */
        FAILED,
        /** A watch saw a threshold breached and rollback is automatic: the saga is stopped. */
        BREACHED,
        /** Rollback needs a person: people are told, the saga keeps waiting. */
        RECOMMEND,
        /** Work in progress: recorded, the saga does not move. */
        PROGRESS
    }

    static ReplyOutcome succeeded(String step, String detail) {
        return new ReplyOutcome(Verdict.SUCCEEDED, step, detail);
    }

    static ReplyOutcome failed(String step, String detail) {
        return new ReplyOutcome(Verdict.FAILED, step, detail);
    }

    static ReplyOutcome breached(String step, String detail) {
        return new ReplyOutcome(Verdict.BREACHED, step, detail);
    }

    static ReplyOutcome recommend(String step, String detail) {
        return new ReplyOutcome(Verdict.RECOMMEND, step, detail);
    }

    static ReplyOutcome progress(String step, String detail) {
        return new ReplyOutcome(Verdict.PROGRESS, step, detail);
    }
}
