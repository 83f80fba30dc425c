package dev.runway.orchestrator.saga;

import static dev.runway.orchestrator.saga.SagaScenario.blueGreen;
import static dev.runway.orchestrator.saga.SagaScenario.breach;
import static dev.runway.orchestrator.saga.SagaScenario.canary;
import static dev.runway.orchestrator.saga.SagaScenario.cancel;
import static dev.runway.orchestrator.saga.SagaScenario.failed;
import static dev.runway.orchestrator.saga.SagaScenario.given;
import static dev.runway.orchestrator.saga.SagaScenario.manualRollback;
import static dev.runway.orchestrator.saga.SagaScenario.resumed;
import static dev.runway.orchestrator.saga.SagaScenario.rolling;
import static dev.runway.orchestrator.saga.SagaScenario.succeeded;
import static dev.runway.orchestrator.saga.SagaScenario.timeout;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

import org.junit.jupiter.api.Test;

/** The saga definition and state machine, given/when/expect, without Quarkus. */
class SagaTest {

    @Test
    void shouldListBlueGreenStepsOfTheSopInOrder() {
        SagaDefinition definition = blueGreen().withApprovals(2).withWindow().withDatabase().definition();
        assertEquals(List.of("validate", "approval", "window", "lock", "backup-database", "apply-migrations",
                "deploy-green", "verify-green", "shift-traffic", "monitor", "promote-green", "release-lock"),
                definition.steps().stream().map(SagaStep::name).toList());
    }

    @Test
    void shouldShiftCanaryTrafficInSeedStepsWithAWatchBetween() {
        SagaDefinition definition = canary().definition();
        assertEquals(List.of("validate", "lock", "deploy-green", "verify-green", "shift-traffic-10", "watch-canary-10",
                "shift-traffic-25", "watch-canary-25", "shift-traffic-50", "watch-canary-50", "shift-traffic-100",
                "monitor", "promote-green", "release-lock"), definition.steps().stream().map(SagaStep::name).toList());
    }

    @Test
    void shouldPromoteGreenAsTheLastForwardStepWithNothingToUndo() {
        for (SagaDefinition definition : List.of(blueGreen().withDatabase().definition(), canary().definition())) {
            int at = definition.indexOf("promote-green");
            SagaStep promote = definition.step(at);
            assertEquals(Action.PROMOTE_GREEN, promote.action());
            assertEquals(Action.Kind.COMMAND, promote.action().kind());
            assertEquals(Compensation.NONE, promote.compensation());
            assertEquals(OnFailure.COMPENSATE, promote.onFailure());
            assertEquals("monitor", definition.step(at - 1).name(), "only after the monitoring window passed");
            assertEquals("release-lock", definition.step(at + 1).name(), "still under the project environment's lock");
        }
    }

    @Test
    void shouldNotPromoteARollingDeployment() {
        // Rolling replaces the old version in place (the executor stops it itself): there is no colour to promote or keep.
        assertEquals(-1, rolling().withDatabase().definition().indexOf("promote-green"));
    }

    @Test
    void shouldSucceedOncePromoted() {
        given(blueGreen().withDatabase()).at("promote-green")
                .expectState(DeploymentState.SHIFTING).expectCancellable(false)
                .when(succeeded("promote-green")).expectCurrent("release-lock")
                .when(succeeded("release-lock"))
                .expectEnd(DeploymentState.SUCCEEDED).expectEndCompensations(List.of());
    }

    @Test
    void shouldCompensateInReverseOrderWhenPromotionFails() {
        given(blueGreen().withDatabase()).at("promote-green")
                .when(failed("promote-green", "nginx -t failed"))
                .expectCompensations("undo-shift-traffic", "undo-deploy-green", "undo-apply-migrations")
                .expectState(DeploymentState.ROLLED_BACK).expectReasonContaining("promote-green failed: nginx -t failed");
    }

    @Test
    void shouldReturnEveryCanaryShareWhenPromotionMissesItsDeadline() {
        given(canary()).at("promote-green")
                .when(timeout("promote-green", "no reply within PT5M"))
                .expectCompensations("undo-shift-traffic-10", "undo-deploy-green")
                .expectState(DeploymentState.ROLLED_BACK).expectReasonContaining("missed its deadline");
    }

    @Test
    void shouldIgnoreABreachWhilePromoting() {
        given(blueGreen()).at("promote-green")
                .when(breach("promote-green", "late verdict"))
                .expectIgnored().expectCurrent("promote-green");
    }

    @Test
    void shouldRollBackManuallyWhilePromoting() {
        given(blueGreen()).at("promote-green")
                .when(manualRollback("promote-green", "by sre bob"))
                .expectCompensations("undo-shift-traffic", "undo-deploy-green")
                .expectState(DeploymentState.ROLLED_BACK);
    }

    @Test
    void shouldEndACanaryThatStopsShortAt100() {
        assertEquals(List.of(5, 50, 100), canary().withCanarySteps(5, 50).build().canarySteps());
    }

    @Test
    void shouldRollOutWithUndoAsCompensation() {
        SagaDefinition definition = rolling().withDatabase().definition();
        SagaStep rollOut = definition.step(definition.indexOf("roll-out"));
        assertEquals(Compensation.UNDO_ROLLOUT, rollOut.compensation());
        assertEquals(OnFailure.ASK_A_PERSON, rollOut.onFailure());
    }

    @Test
    void shouldSucceedWhenEveryStepSucceeds() {
        given(blueGreen().withDatabase())
                .allSucceed()
                .expectEnd(DeploymentState.SUCCEEDED).expectState(DeploymentState.SUCCEEDED).expectEndCompensations(List.of());
    }

    @Test
    void shouldFailWithoutCompensationsWhenValidationFails() {
        given(blueGreen().withDatabase())
                .when(failed("validate", "2 errors"))
                .expectEnd(DeploymentState.FAILED).expectEndReason("validate failed: 2 errors");
    }

    @Test
    void shouldNeedAttentionAndTouchNothingWhenMigrationFails() {
        given(blueGreen().withDatabase()).at("apply-migrations")
                .when(failed("apply-migrations", "syntax error in 20260101000000_add.sql"))
                .expectNoCompensationBegun()
                .expectEnd(DeploymentState.NEEDS_ATTENTION).expectEndReasonContaining("a person decides");
    }

    @Test
    void shouldRemoveGreenAndRestoreDatabaseWhenVerificationBreaches() {
        given(blueGreen().withDatabase()).at("verify-green")
                .when(breach("verify-green", "error_rate 12.0 > 5.0"))
                .expectCompensations("undo-deploy-green", "undo-apply-migrations")
                .expectState(DeploymentState.ROLLED_BACK);
    }

    @Test
    void shouldCompensateInReverseOrderWhenShiftingTrafficFails() {
        given(blueGreen().withDatabase()).at("shift-traffic")
                .when(failed("shift-traffic", "nginx -t failed"))
                .expectCompensations("undo-deploy-green", "undo-apply-migrations")
                .expectState(DeploymentState.ROLLED_BACK);
    }

    @Test
    void shouldRollTrafficBackOnceWhenCanaryBreachesAt50() {
        given(canary()).at("watch-canary-50")
                .when(breach("watch-canary-50", "error_rate 9.1 > 5.0"))
                .expectCompensations("undo-shift-traffic-10", "undo-deploy-green")
                .expectState(DeploymentState.ROLLED_BACK);
    }

    @Test
    void shouldCompensateWhenMonitoringBreachesAfterFullTraffic() {
        given(blueGreen()).at("monitor")
                .when(breach("monitor", "latency_p99 2300 > 2000"))
                .expectCompensations("undo-shift-traffic", "undo-deploy-green");
    }

    @Test
    void shouldIgnoreABreachOutsideAWatchStep() {
        given(blueGreen()).at("deploy-green")
                .when(breach("deploy-green", "late"))
                .expectIgnored().expectCurrent("deploy-green");
    }

    @Test
    void shouldIgnoreDuplicateAndOutOfOrderReplies() {
        given(blueGreen().withDatabase()).at("apply-migrations")
                .when(succeeded("backup-database")).expectIgnored()
                .when(succeeded("shift-traffic")).expectIgnored()
                .expectCurrent("apply-migrations");
    }

    @Test
    void shouldNeedAttentionWhenACompensationFails() {
        given(blueGreen()).at("shift-traffic")
                .when(failed("shift-traffic", "boom"))
                .expectCurrent("undo-deploy-green")
                .when(failed("undo-deploy-green", "cluster unreachable"))
                .expectEnd(DeploymentState.NEEDS_ATTENTION).expectEndCompensations(List.of());
    }

    @Test
    void shouldUndoTheSilentStepTooWhenItsDeadlinePasses() {
        given(blueGreen().withDatabase()).at("deploy-green")
                .when(timeout("deploy-green", "no reply within PT15M"))
                .expectCompensations("undo-deploy-green", "undo-apply-migrations")
                .expectReasonContaining("missed its deadline");
    }

    @Test
    void shouldNeedAttentionWhenACompensationMissesItsDeadline() {
        given(blueGreen()).at("monitor")
                .when(breach("monitor", "x"))
                .when(timeout("undo-shift-traffic", "silent"))
                .expectEnd(DeploymentState.NEEDS_ATTENTION);
    }

    @Test
    void shouldCancelBeforeTrafficMovesAndUndoWhatWasDeployed() {
        given(blueGreen()).at("verify-green")
                .expectCancellable(true)
                .when(cancel("verify-green", "by alice"))
                .expectFirst(Effect.Abandon.class)
                .expectCompensations("undo-deploy-green")
                .expectState(DeploymentState.CANCELLED);
    }

    @Test
    void shouldRefuseCancelOnceTrafficMoved() {
        given(blueGreen()).at("shift-traffic")
                .expectCancellable(false)
                .when(cancel("shift-traffic", "late")).expectIgnored();
    }

    @Test
    void shouldRollBackManuallyIncludingTheCommandInFlight() {
        given(canary()).at("shift-traffic-25")
                .when(manualRollback("shift-traffic-25", "by sre bob"))
                .expectCompensations("undo-shift-traffic-10", "undo-deploy-green")
                .expectState(DeploymentState.ROLLED_BACK);
    }

    @Test
    void shouldResumeFromASnapshotExactlyWhereItStopped() {
        SagaScenario before = given(blueGreen().withDatabase()).at("shift-traffic")
                .when(failed("shift-traffic", "boom"));
        resumed(before.saga().definition(), before.saga().snapshot())
                .expectCurrent("undo-deploy-green")
                .expectCompensations("undo-deploy-green", "undo-apply-migrations");
    }

    @Test
    void shouldUndoARollingRolloutWhenMonitoringBreaches() {
        given(rolling()).at("monitor")
                .when(breach("monitor", "p95"))
                .expectCompensations("undo-roll-out");
    }
}
