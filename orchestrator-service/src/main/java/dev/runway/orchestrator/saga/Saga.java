package dev.runway.orchestrator.saga;

import java.util.ArrayList;
import java.util.List;

import dev.runway.events.StepKind;

/**
 * One running deployment saga: a pure state machine over a {@link SagaDefinition}. It never does
 * I/O; each input returns the {@link Effect}s the orchestrator must carry out, and
 * {@link #snapshot()} is what gets stored in Postgres to resume after a restart.
 */
public final class Saga {

    public enum Phase { FORWARD, COMPENSATING, ENDED }

    /** Why a saga is stopped from outside its own steps. */
    public enum Abort { CANCEL, MANUAL_ROLLBACK, BREACH, TIMEOUT }

    /** The persistent part of a saga. */
    public record Snapshot(int cursor, Phase phase, List<String> completed, List<String> compensations,
            int compensationCursor, DeploymentState endState, String reason) {

        public Snapshot {
            completed = List.copyOf(completed);
            compensations = List.copyOf(compensations);
        }

        public static Snapshot initial() {
            return new Snapshot(0, Phase.FORWARD, List.of(), List.of(), 0, null, null);
        }
    }

    private final SagaDefinition definition;
    private int cursor;
    private Phase phase;
    private final List<String> completed;
    private List<String> compensations;
    private int compensationCursor;
    /** State to end in once compensations are done. */
    private DeploymentState endState;
    private String reason;

    public Saga(SagaDefinition definition, Snapshot snapshot) {
        this.definition = definition;
        this.cursor = snapshot.cursor();
        this.phase = snapshot.phase();
        this.completed = new ArrayList<>(snapshot.completed());
        this.compensations = new ArrayList<>(snapshot.compensations());
        this.compensationCursor = snapshot.compensationCursor();
        this.endState = snapshot.endState();
        this.reason = snapshot.reason();
    }

    public static Saga start(SagaDefinition definition) {
        return new Saga(definition, Snapshot.initial());
    }

    public Snapshot snapshot() {
        return new Snapshot(cursor, phase, completed, compensations, compensationCursor, endState, reason);
    }

    public SagaDefinition definition() {
        return definition;
    }

    public Phase phase() {
        return phase;
    }

    /** The step waiting for its outcome: a forward step, or the undo being carried out. */
    public SagaStep current() {
        return switch (phase) {
            case FORWARD -> definition.step(cursor);
            case COMPENSATING -> definition.step(definition.indexOf(compensations.get(compensationCursor)));
            case ENDED -> null;
        };
    }

    /** Name that participants echo for the step in flight ("undo-…" while compensating). */
    public String currentStepName() {
        SagaStep step = current();
        if (step == null) {
            return null;
        }
        return phase == Phase.COMPENSATING ? step.compensationName() : step.name();
    }

    public DeploymentState state() {
        return switch (phase) {
            case FORWARD -> definition.step(cursor).action().state();
            case COMPENSATING -> DeploymentState.COMPENSATING;
            case ENDED -> endState;
        };
    }

    public String reason() {
        return reason;
    }

    public List<String> completed() {
        return List.copyOf(completed);
    }

    /** Before traffic moves a deployment may be cancelled (issue: cancel "before traffic moves"). */
    public boolean cancellable() {
        if (phase != Phase.FORWARD) {
            return false;
        }
        for (int i = 0; i <= cursor; i++) {
            if (definition.step(i).action().movesTraffic()) {
                return false;
            }
        }
        return true;
    }

    public List<Effect> begin() {
        if (phase != Phase.FORWARD || cursor != 0 || !completed.isEmpty()) {
            return List.of(new Effect.Ignored("saga already started"));
        }
        return List.of(new Effect.Begin(definition.step(0), StepKind.FORWARD));
    }

    /** A participant (or the orchestrator for a gate) reports that {@code stepName} is done. */
    public List<Effect> succeeded(String stepName) {
        if (!stepName.equals(currentStepName())) {
            return List.of(ignored(stepName));
        }
        List<Effect> effects = new ArrayList<>();
        SagaStep step = current();
        if (phase == Phase.FORWARD) {
            completed.add(step.name());
            effects.add(new Effect.Completed(step, StepKind.FORWARD));
            cursor++;
            if (cursor == definition.size()) {
                cursor--;
                effects.add(end(DeploymentState.SUCCEEDED, null));
            } else {
                effects.add(new Effect.Begin(definition.step(cursor), StepKind.FORWARD));
            }
        } else {
            effects.add(new Effect.Completed(step, StepKind.COMPENSATION));
            compensationCursor++;
            effects.add(nextCompensationOrEnd());
        }
        return effects;
    }

    /** A participant reports that {@code stepName} failed. */
    public List<Effect> failed(String stepName, String why) {
        if (!stepName.equals(currentStepName())) {
            return List.of(ignored(stepName));
        }
        SagaStep step = current();
        List<Effect> effects = new ArrayList<>();
        if (phase == Phase.COMPENSATING) {
            effects.add(new Effect.Failed(step, StepKind.COMPENSATION, why));
            // An undo that fails leaves the environment in a state only a person can judge.
            effects.add(end(DeploymentState.NEEDS_ATTENTION,
                    "compensation " + step.compensationName() + " failed: " + why + (reason == null ? "" : "; after: " + reason)));
            return effects;
        }
        effects.add(new Effect.Failed(step, StepKind.FORWARD, why));
        effects.addAll(afterForwardFailure(step, step.name() + " failed: " + why, false));
        return effects;
    }

    /** Stop the saga from outside: cancel, manual rollback, a threshold breach or a missed deadline. */
    public List<Effect> abort(Abort abort, String stepName, String why) {
        if (phase == Phase.ENDED) {
            return List.of(new Effect.Ignored("saga already ended " + endState));
        }
        SagaStep step = current();
        switch (abort) {
            case BREACH -> {
                if (phase != Phase.FORWARD || !step.name().equals(stepName) || step.action().kind() != Action.Kind.WATCH) {
                    return List.of(ignored(stepName));
                }
                List<Effect> effects = new ArrayList<>();
                effects.add(new Effect.Failed(step, StepKind.FORWARD, why));
                effects.addAll(afterForwardFailure(step, "threshold breached at " + step.name() + ": " + why, false));
                return effects;
            }
            case TIMEOUT -> {
                if (!currentStepName().equals(stepName)) {
                    return List.of(ignored(stepName));
                }
                return failedByDeadline(step, why);
            }
            case CANCEL -> {
                if (!cancellable()) {
                    return List.of(new Effect.Ignored("traffic has moved; cancel is no longer possible, roll back instead"));
                }
                return abortForward(step, DeploymentState.CANCELLED, "cancelled: " + why);
            }
            case MANUAL_ROLLBACK -> {
                if (phase != Phase.FORWARD) {
                    return List.of(new Effect.Ignored("already compensating"));
                }
                return abortForward(step, DeploymentState.ROLLED_BACK, "manual rollback: " + why);
            }
            default -> throw new IllegalStateException(abort.name());
        }
    }

    private List<Effect> failedByDeadline(SagaStep step, String why) {
        List<Effect> effects = new ArrayList<>();
        if (phase == Phase.COMPENSATING) {
            effects.add(new Effect.Failed(step, StepKind.COMPENSATION, why));
            effects.add(end(DeploymentState.NEEDS_ATTENTION, "compensation " + step.compensationName()
                    + " missed its deadline: " + why));
            return effects;
        }
        effects.add(new Effect.Failed(step, StepKind.FORWARD, why));
        // A silent participant may still have acted: undo the step in flight too (undos are idempotent).
        effects.addAll(afterForwardFailure(step, step.name() + " missed its deadline: " + why, true));
        return effects;
    }

    private List<Effect> abortForward(SagaStep step, DeploymentState state, String why) {
        List<Effect> effects = new ArrayList<>();
        if (step.action().kind() == Action.Kind.WATCH) {
            effects.add(new Effect.Abandon(step));
        }
        List<String> undo = compensationsFor(step.action().kind() == Action.Kind.COMMAND);
        DeploymentState finalState = state == DeploymentState.ROLLED_BACK && undo.isEmpty() ? DeploymentState.CANCELLED : state;
        effects.add(compensate(undo, finalState, why));
        return effects;
    }

    private List<Effect> afterForwardFailure(SagaStep step, String why, boolean includeInFlight) {
        if (step.onFailure() == OnFailure.ASK_A_PERSON) {
            return List.of(end(DeploymentState.NEEDS_ATTENTION, why + " (decision matrix: a person decides)"));
        }
        List<String> undo = compensationsFor(includeInFlight);
        return List.of(compensate(undo, undo.isEmpty() ? DeploymentState.FAILED : DeploymentState.ROLLED_BACK, why));
    }

    /** Completed steps with an undo, newest first; optionally the step in flight first of all. */
    private List<String> compensationsFor(boolean includeInFlight) {
        List<String> undo = new ArrayList<>();
        if (includeInFlight && definition.step(cursor).compensation() != Compensation.NONE) {
            undo.add(definition.step(cursor).name());
        }
        for (int i = completed.size() - 1; i >= 0; i--) {
            SagaStep done = definition.step(definition.indexOf(completed.get(i)));
            if (done.compensation() != Compensation.NONE) {
                undo.add(done.name());
            }
        }
        return undo;
    }

    private Effect compensate(List<String> undo, DeploymentState finalState, String why) {
        this.reason = why;
        this.endState = finalState;
        if (undo.isEmpty()) {
            return end(finalState, why);
        }
        this.phase = Phase.COMPENSATING;
        this.compensations = new ArrayList<>(undo);
        this.compensationCursor = 0;
        return new Effect.Begin(current(), StepKind.COMPENSATION);
    }

    private Effect nextCompensationOrEnd() {
        if (compensationCursor < compensations.size()) {
            return new Effect.Begin(current(), StepKind.COMPENSATION);
        }
        return end(endState, reason);
    }

    private Effect end(DeploymentState state, String why) {
        this.phase = Phase.ENDED;
        this.endState = state;
        this.reason = why;
        List<String> ran = compensations.subList(0, Math.min(compensationCursor, compensations.size())).stream()
                .map(name -> "undo-" + name).toList();
        return new Effect.End(state, why, ran);
    }

    private Effect ignored(String stepName) {
        return new Effect.Ignored("reply for " + stepName + " while " + (phase == Phase.ENDED ? "ended" : "at " + currentStepName()));
    }
}
