package dev.runway.orchestrator.saga;

import java.util.List;

import dev.runway.events.StepKind;

/** What the saga asks the orchestrator to do after a transition; carried out in order. */
public sealed interface Effect {

    /** Start a step: send its command, open its gate, or ask for a watch. */
    record Begin(SagaStep step, StepKind kind) implements Effect {
    }

    /** A step finished well. */
    record Completed(SagaStep step, StepKind kind) implements Effect {
    }

    /** A step failed; the reason is kept for the audit log and the events. */
    record Failed(SagaStep step, StepKind kind, String reason) implements Effect {
    }

    /** An in-flight step is abandoned (e.g. its watch must stop). */
    record Abandon(SagaStep step) implements Effect {
    }

    /** The saga ended. {@code compensations} lists the undo steps that ran, in order. */
    record End(DeploymentState state, String reason, List<String> compensations) implements Effect {
    }

    /** The input did not apply (duplicate, late or out-of-order); nothing changed. */
    record Ignored(String why) implements Effect {
    }
}
