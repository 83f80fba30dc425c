package dev.runway.orchestrator.saga;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

import dev.runway.events.StepKind;
import dev.runway.events.Strategy;

/**
 * Given a saga shape, when an input arrives, expect effects: the vocabulary of {@link SagaTest}.
 * The saga is a pure state machine, so a scenario drives it directly, without Quarkus.
 */
final class SagaScenario {

    /** Deadlines do not drive these scenarios (timeouts are inputs); the values only need to be plausible. */
    static final StepTimeouts TIMEOUTS = new StepTimeouts(Duration.ofMinutes(5), Duration.ofHours(72), Duration.ofDays(7),
            Duration.ofHours(24), Duration.ofMinutes(30), Duration.ofMinutes(30), Duration.ofMinutes(15), Duration.ofMinutes(5),
            Duration.ofMinutes(2), Duration.ofMinutes(15));

    /** An input to the saga: a participant's reply, a deadline or a person's decision. */
    interface Input extends Function<Saga, List<Effect>> {
    }

    /** A saga shape under construction: strategy first, then what the project and environment add. */
    record Shape(Strategy strategy, int approvals, boolean windowed, boolean database, List<Integer> canarySteps) {

        Shape withApprovals(int approvals) {
            return new Shape(strategy, approvals, windowed, database, canarySteps);
        }

        Shape withWindow() {
            return new Shape(strategy, approvals, true, database, canarySteps);
        }

        Shape withDatabase() {
            return new Shape(strategy, approvals, windowed, true, canarySteps);
        }

        Shape withCanarySteps(Integer... percents) {
            return new Shape(strategy, approvals, windowed, database, List.of(percents));
        }

        SagaShape build() {
            return new SagaShape(strategy, approvals, windowed, database, canarySteps, 0, 0, 0);
        }

        SagaDefinition definition() {
            return SagaDefinition.of(build(), TIMEOUTS);
        }
    }

    static Shape blueGreen() {
        return new Shape(Strategy.BLUE_GREEN, 0, false, false, List.of());
    }

    static Shape canary() {
        return new Shape(Strategy.CANARY, 0, false, false, List.of());
    }

    static Shape rolling() {
        return new Shape(Strategy.ROLLING, 0, false, false, List.of());
    }

    // ---- inputs ---------------------------------------------------------------------------------

    static Input succeeded(String step) {
        return saga -> saga.succeeded(step);
    }

    static Input failed(String step, String why) {
        return saga -> saga.failed(step, why);
    }

    static Input breach(String step, String why) {
        return saga -> saga.abort(Saga.Abort.BREACH, step, why);
    }

    static Input timeout(String step, String why) {
        return saga -> saga.abort(Saga.Abort.TIMEOUT, step, why);
    }

    static Input cancel(String step, String why) {
        return saga -> saga.abort(Saga.Abort.CANCEL, step, why);
    }

    static Input manualRollback(String step, String why) {
        return saga -> saga.abort(Saga.Abort.MANUAL_ROLLBACK, step, why);
    }

    // ---- the scenario ---------------------------------------------------------------------------

    private final Saga saga;
    private List<Effect> effects = List.of();

    private SagaScenario(Saga saga) {
        this.saga = saga;
    }

    /** A started saga of {@code shape}, at its first step. */
    static SagaScenario given(Shape shape) {
        Saga saga = Saga.start(shape.definition());
        return new SagaScenario(saga).when(Saga::begin);
    }

    /** A saga resumed from another's snapshot, as after a restart. */
    static SagaScenario resumed(SagaDefinition definition, Saga.Snapshot snapshot) {
        SagaScenario scenario = new SagaScenario(new Saga(definition, snapshot));
        scenario.effects = List.of(new Effect.Begin(scenario.saga.current(), StepKind.COMPENSATION));
        return scenario;
    }

    Saga saga() {
        return saga;
    }

    /** Completes forward steps until {@code step} is the step in flight. */
    SagaScenario at(String step) {
        while (!step.equals(saga.currentStepName())) {
            effects = saga.succeeded(saga.currentStepName());
        }
        return this;
    }

    /** Completes every forward step. */
    SagaScenario allSucceed() {
        while (saga.phase() == Saga.Phase.FORWARD) {
            effects = saga.succeeded(saga.currentStepName());
        }
        return this;
    }

    SagaScenario when(Input input) {
        effects = input.apply(saga);
        return this;
    }

    // ---- expectations ---------------------------------------------------------------------------

    /** The last input ended the saga in {@code state}. */
    SagaScenario expectEnd(DeploymentState state) {
        assertEquals(state, end().state());
        return this;
    }

    SagaScenario expectEndReason(String reason) {
        assertEquals(reason, end().reason());
        return this;
    }

    SagaScenario expectEndReasonContaining(String part) {
        assertTrue(end().reason().contains(part));
        return this;
    }

    /** Compensations listed as having run by the last input's End. */
    SagaScenario expectEndCompensations(List<String> names) {
        assertEquals(names, end().compensations());
        return this;
    }

    SagaScenario expectNoCompensationBegun() {
        assertTrue(begunCompensations(effects).isEmpty());
        return this;
    }

    /** Drives every compensation to success: the undo steps must begin in exactly this order. */
    SagaScenario expectCompensations(String... names) {
        List<String> issued = new ArrayList<>(begunCompensations(effects));
        while (saga.phase() == Saga.Phase.COMPENSATING) {
            effects = saga.succeeded(saga.currentStepName());
            issued.addAll(begunCompensations(effects));
        }
        assertEquals(List.of(names), issued);
        return this;
    }

    /** The last input's first effect is of this type. */
    SagaScenario expectFirst(Class<? extends Effect> type) {
        assertInstanceOf(type, effects.get(0));
        return this;
    }

    SagaScenario expectIgnored() {
        return expectFirst(Effect.Ignored.class);
    }

    SagaScenario expectState(DeploymentState state) {
        assertEquals(state, saga.state());
        return this;
    }

    SagaScenario expectCurrent(String step) {
        assertEquals(step, saga.currentStepName());
        return this;
    }

    SagaScenario expectReasonContaining(String part) {
        assertTrue(saga.reason().contains(part));
        return this;
    }

    SagaScenario expectCancellable(boolean cancellable) {
        if (cancellable) {
            assertTrue(saga.cancellable());
        } else {
            assertFalse(saga.cancellable());
        }
        return this;
    }

    private Effect.End end() {
        return assertInstanceOf(Effect.End.class, effects.get(effects.size() - 1));
    }

    private static List<String> begunCompensations(List<Effect> effects) {
        List<String> names = new ArrayList<>();
        for (Effect e : effects) {
            if (e instanceof Effect.Begin begin && begin.kind() == StepKind.COMPENSATION) {
                names.add(begin.step().compensationName());
            }
        }
        return names;
    }
}
