package dev.runway.orchestrator.saga;

/**
 * What the decision matrix (sop.md 000-10.2, 004) says when a forward step fails.
 */
public enum OnFailure {
    /** Nothing changed yet: end FAILED (or CANCELLED) without compensations. */
    FAIL,
    /** Undo the completed steps in reverse order and end ROLLED_BACK. */
    COMPENSATE,
    /** A person decides (failed migration, partial deployment): end NEEDS_ATTENTION, touch nothing. */
    ASK_A_PERSON
}
