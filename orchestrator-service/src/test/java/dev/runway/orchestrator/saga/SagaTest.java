package dev.runway.orchestrator.saga;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.runway.events.StepKind;
import dev.runway.events.Strategy;

/** The saga definition and state machine, given/expect style, without Quarkus. */
class SagaTest {

    private static SagaShape shape(Strategy strategy, int approvals, boolean windowed, boolean database) {
        return new SagaShape(strategy, approvals, windowed, database, List.of(), 0, 0, 0);
    }

    private static Saga saga(SagaShape shape) {
        Saga saga = Saga.start(SagaDefinition.of(shape, StepTimeouts.defaults()));
        saga.begin();
        return saga;
    }

    /** Completes forward steps until {@code stop} is the step in flight. */
    private static void runUntil(Saga saga, String stop) {
        while (!stop.equals(saga.currentStepName())) {
            saga.succeeded(saga.currentStepName());
        }
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

    /** Drives every compensation to success and returns the undo steps in the order they began. */
    private static List<String> compensateAll(Saga saga, List<Effect> first) {
        List<String> issued = new ArrayList<>(begunCompensations(first));
        while (saga.phase() == Saga.Phase.COMPENSATING) {
            issued.addAll(begunCompensations(saga.succeeded(saga.currentStepName())));
        }
        return issued;
    }

    private static Effect.End endOf(List<Effect> effects) {
        return assertInstanceOf(Effect.End.class, effects.get(effects.size() - 1));
    }

    @Test
    void shouldListBlueGreenStepsOfTheSopInOrder() {
        SagaDefinition definition = SagaDefinition.of(shape(Strategy.BLUE_GREEN, 2, true, true), StepTimeouts.defaults());
        assertEquals(List.of("validate", "approval", "window", "lock", "backup-database", "apply-migrations",
                "deploy-green", "verify-green", "shift-traffic", "monitor", "release-lock"),
                definition.steps().stream().map(SagaStep::name).toList());
    }

    @Test
    void shouldShiftCanaryTrafficInSeedStepsWithAWatchBetween() {
        SagaDefinition definition = SagaDefinition.of(shape(Strategy.CANARY, 0, false, false), StepTimeouts.defaults());
        assertEquals(List.of("validate", "lock", "deploy-green", "verify-green", "shift-traffic-10", "watch-canary-10",
                "shift-traffic-25", "watch-canary-25", "shift-traffic-50", "watch-canary-50", "shift-traffic-100",
                "monitor", "release-lock"), definition.steps().stream().map(SagaStep::name).toList());
    }

    @Test
    void shouldEndACanaryThatStopsShortAt100() {
        SagaShape shape = new SagaShape(Strategy.CANARY, 0, false, false, List.of(5, 50), 0, 0, 0);
        assertEquals(List.of(5, 50, 100), shape.canarySteps());
    }

    @Test
    void shouldRollOutWithUndoAsCompensation() {
        SagaDefinition definition = SagaDefinition.of(shape(Strategy.ROLLING, 0, false, true), StepTimeouts.defaults());
        SagaStep rollOut = definition.step(definition.indexOf("roll-out"));
        assertEquals(Compensation.UNDO_ROLLOUT, rollOut.compensation());
        assertEquals(OnFailure.ASK_A_PERSON, rollOut.onFailure());
    }

    @Test
    void shouldSucceedWhenEveryStepSucceeds() {
        Saga saga = saga(shape(Strategy.BLUE_GREEN, 0, false, true));
        List<Effect> last = List.of();
        while (saga.phase() == Saga.Phase.FORWARD) {
            last = saga.succeeded(saga.currentStepName());
        }
        Effect.End end = endOf(last);
        assertEquals(DeploymentState.SUCCEEDED, end.state());
        assertEquals(DeploymentState.SUCCEEDED, saga.state());
        assertTrue(end.compensations().isEmpty());
    }

    @Test
    void shouldFailWithoutCompensationsWhenValidationFails() {
        Saga saga = saga(shape(Strategy.BLUE_GREEN, 0, false, true));
        Effect.End end = endOf(saga.failed("validate", "2 errors"));
        assertEquals(DeploymentState.FAILED, end.state());
        assertEquals("validate failed: 2 errors", end.reason());
    }

    @Test
    void shouldNeedAttentionAndTouchNothingWhenMigrationFails() {
        Saga saga = saga(shape(Strategy.BLUE_GREEN, 0, false, true));
        runUntil(saga, "apply-migrations");
        List<Effect> effects = saga.failed("apply-migrations", "syntax error in 20260101000000_add.sql");
        assertTrue(begunCompensations(effects).isEmpty());
        Effect.End end = endOf(effects);
        assertEquals(DeploymentState.NEEDS_ATTENTION, end.state());
        assertTrue(end.reason().contains("a person decides"));
    }

    @Test
    void shouldRemoveGreenAndRestoreDatabaseWhenVerificationBreaches() {
        Saga saga = saga(shape(Strategy.BLUE_GREEN, 0, false, true));
        runUntil(saga, "verify-green");
        List<Effect> effects = saga.abort(Saga.Abort.BREACH, "verify-green", "error_rate 12.0 > 5.0");
        assertEquals(List.of("undo-deploy-green", "undo-apply-migrations"), compensateAll(saga, effects));
        assertEquals(DeploymentState.ROLLED_BACK, saga.state());
    }

    @Test
    void shouldCompensateInReverseOrderWhenShiftingTrafficFails() {
        Saga saga = saga(shape(Strategy.BLUE_GREEN, 0, false, true));
        runUntil(saga, "shift-traffic");
        List<Effect> effects = saga.failed("shift-traffic", "nginx -t failed");
        assertEquals(List.of("undo-deploy-green", "undo-apply-migrations"), compensateAll(saga, effects));
        assertEquals(DeploymentState.ROLLED_BACK, saga.state());
    }

    @Test
    void shouldRollTrafficBackOnceWhenCanaryBreachesAt50() {
        Saga saga = saga(shape(Strategy.CANARY, 0, false, false));
        runUntil(saga, "watch-canary-50");
        List<Effect> effects = saga.abort(Saga.Abort.BREACH, "watch-canary-50", "error_rate 9.1 > 5.0");
        assertEquals(List.of("undo-shift-traffic-10", "undo-deploy-green"), compensateAll(saga, effects));
        assertEquals(DeploymentState.ROLLED_BACK, saga.state());
    }

    @Test
    void shouldCompensateWhenMonitoringBreachesAfterFullTraffic() {
        Saga saga = saga(shape(Strategy.BLUE_GREEN, 0, false, false));
        runUntil(saga, "monitor");
        List<Effect> effects = saga.abort(Saga.Abort.BREACH, "monitor", "latency_p99 2300 > 2000");
        assertEquals(List.of("undo-shift-traffic", "undo-deploy-green"), compensateAll(saga, effects));
    }

    @Test
    void shouldIgnoreABreachOutsideAWatchStep() {
        Saga saga = saga(shape(Strategy.BLUE_GREEN, 0, false, false));
        runUntil(saga, "deploy-green");
        assertInstanceOf(Effect.Ignored.class, saga.abort(Saga.Abort.BREACH, "deploy-green", "late").get(0));
        assertEquals("deploy-green", saga.currentStepName());
    }

    @Test
    void shouldIgnoreDuplicateAndOutOfOrderReplies() {
        Saga saga = saga(shape(Strategy.BLUE_GREEN, 0, false, true));
        runUntil(saga, "apply-migrations");
        assertInstanceOf(Effect.Ignored.class, saga.succeeded("backup-database").get(0));
        assertInstanceOf(Effect.Ignored.class, saga.succeeded("shift-traffic").get(0));
        assertEquals("apply-migrations", saga.currentStepName());
    }

    @Test
    void shouldNeedAttentionWhenACompensationFails() {
        Saga saga = saga(shape(Strategy.BLUE_GREEN, 0, false, false));
        runUntil(saga, "shift-traffic");
        saga.failed("shift-traffic", "boom");
        assertEquals("undo-deploy-green", saga.currentStepName());
        Effect.End end = endOf(saga.failed("undo-deploy-green", "cluster unreachable"));
        assertEquals(DeploymentState.NEEDS_ATTENTION, end.state());
        assertTrue(end.compensations().isEmpty());
    }

    @Test
    void shouldUndoTheSilentStepTooWhenItsDeadlinePasses() {
        Saga saga = saga(shape(Strategy.BLUE_GREEN, 0, false, true));
        runUntil(saga, "deploy-green");
        List<Effect> effects = saga.abort(Saga.Abort.TIMEOUT, "deploy-green", "no reply within PT15M");
        assertEquals(List.of("undo-deploy-green", "undo-apply-migrations"), compensateAll(saga, effects));
        assertTrue(saga.reason().contains("missed its deadline"));
    }

    @Test
    void shouldNeedAttentionWhenACompensationMissesItsDeadline() {
        Saga saga = saga(shape(Strategy.BLUE_GREEN, 0, false, false));
        runUntil(saga, "monitor");
        saga.abort(Saga.Abort.BREACH, "monitor", "x");
        Effect.End end = endOf(saga.abort(Saga.Abort.TIMEOUT, "undo-shift-traffic", "silent"));
        assertEquals(DeploymentState.NEEDS_ATTENTION, end.state());
    }

    @Test
    void shouldCancelBeforeTrafficMovesAndUndoWhatWasDeployed() {
        Saga saga = saga(shape(Strategy.BLUE_GREEN, 0, false, false));
        runUntil(saga, "verify-green");
        assertTrue(saga.cancellable());
        List<Effect> effects = saga.abort(Saga.Abort.CANCEL, "verify-green", "by alice");
        assertInstanceOf(Effect.Abandon.class, effects.get(0));
        assertEquals(List.of("undo-deploy-green"), compensateAll(saga, effects));
        assertEquals(DeploymentState.CANCELLED, saga.state());
    }

    @Test
    void shouldRefuseCancelOnceTrafficMoved() {
        Saga saga = saga(shape(Strategy.BLUE_GREEN, 0, false, false));
        runUntil(saga, "shift-traffic");
        assertFalse(saga.cancellable());
        assertInstanceOf(Effect.Ignored.class, saga.abort(Saga.Abort.CANCEL, "shift-traffic", "late").get(0));
    }

    @Test
    void shouldRollBackManuallyIncludingTheCommandInFlight() {
        Saga saga = saga(shape(Strategy.CANARY, 0, false, false));
        runUntil(saga, "shift-traffic-25");
        List<Effect> effects = saga.abort(Saga.Abort.MANUAL_ROLLBACK, "shift-traffic-25", "by sre bob");
        assertEquals(List.of("undo-shift-traffic-10", "undo-deploy-green"), compensateAll(saga, effects));
        assertEquals(DeploymentState.ROLLED_BACK, saga.state());
    }

    @Test
    void shouldResumeFromASnapshotExactlyWhereItStopped() {
        SagaDefinition definition = SagaDefinition.of(shape(Strategy.BLUE_GREEN, 0, false, true), StepTimeouts.defaults());
        Saga before = Saga.start(definition);
        before.begin();
        runUntil(before, "shift-traffic");
        before.failed("shift-traffic", "boom");
        Saga after = new Saga(definition, before.snapshot());
        assertEquals("undo-deploy-green", after.currentStepName());
        assertEquals(List.of("undo-deploy-green", "undo-apply-migrations"),
                compensateAll(after, List.of(new Effect.Begin(after.current(), StepKind.COMPENSATION))));
    }

    @Test
    void shouldUndoARollingRolloutWhenMonitoringBreaches() {
        Saga saga = saga(shape(Strategy.ROLLING, 0, false, false));
        runUntil(saga, "monitor");
        assertEquals(List.of("undo-roll-out"), compensateAll(saga, saga.abort(Saga.Abort.BREACH, "monitor", "p95")));
    }
}
