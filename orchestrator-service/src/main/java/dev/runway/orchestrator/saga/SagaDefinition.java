package dev.runway.orchestrator.saga;

import static dev.runway.orchestrator.saga.Action.ACQUIRE_LOCK;
import static dev.runway.orchestrator.saga.Action.APPLY_MIGRATIONS;
import static dev.runway.orchestrator.saga.Action.APPROVAL;
import static dev.runway.orchestrator.saga.Action.BACKUP_DATABASE;
import static dev.runway.orchestrator.saga.Action.DEPLOY_GREEN;
import static dev.runway.orchestrator.saga.Action.MONITOR;
import static dev.runway.orchestrator.saga.Action.PROMOTE_GREEN;
import static dev.runway.orchestrator.saga.Action.RELEASE_LOCK;
import static dev.runway.orchestrator.saga.Action.ROLL_OUT;
import static dev.runway.orchestrator.saga.Action.SHIFT_TRAFFIC;
import static dev.runway.orchestrator.saga.Action.VALIDATE;
import static dev.runway.orchestrator.saga.Action.VERIFY;
import static dev.runway.orchestrator.saga.Action.WATCH_CANARY;
import static dev.runway.orchestrator.saga.Action.WINDOW;
import static dev.runway.orchestrator.saga.Compensation.NONE;
import static dev.runway.orchestrator.saga.Compensation.REMOVE_GREEN;
import static dev.runway.orchestrator.saga.Compensation.RESTORE_DATABASE;
import static dev.runway.orchestrator.saga.Compensation.ROLLBACK_TRAFFIC;
import static dev.runway.orchestrator.saga.Compensation.UNDO_ROLLOUT;
import static dev.runway.orchestrator.saga.OnFailure.ASK_A_PERSON;
import static dev.runway.orchestrator.saga.OnFailure.COMPENSATE;
import static dev.runway.orchestrator.saga.OnFailure.FAIL;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import dev.runway.events.Strategy;

/**
 * The deployment saga of sop.md 000-7 and 004, one list per strategy. Each line is a step: what it
 * invokes, what undoes it and its decision-matrix entry; read top to bottom it is the SOP's pipeline.
 * Which participant carries out a step follows from its {@link Action.Kind}; the proxies in
 * {@code saga/participants} build the commands.
 */
public final class SagaDefinition {

    private final List<SagaStep> steps;

    private SagaDefinition(List<SagaStep> steps) {
        this.steps = List.copyOf(steps);
    }

    public static SagaDefinition of(SagaShape shape, StepTimeouts t) {
        Builder saga = new Builder();
        saga.step("validate").invoke(VALIDATE).onFailure(FAIL).timeout(t.validation());
        if (shape.requiredApprovals() > 0) {
            saga.step("approval").invoke(APPROVAL).onFailure(FAIL).timeout(t.approval());
        }
        if (shape.windowed()) {
            saga.step("window").invoke(WINDOW).onFailure(FAIL).timeout(t.window());
        }
        saga.step("lock").invoke(ACQUIRE_LOCK).onFailure(FAIL).timeout(t.lock());
        if (shape.database()) {
            // A backup changes nothing users see; a failed migration is for a person (matrix: manual).
            saga.step("backup-database").invoke(BACKUP_DATABASE).onFailure(FAIL).timeout(t.backup());
            saga.step("apply-migrations").invoke(APPLY_MIGRATIONS).withCompensation(RESTORE_DATABASE)
                    .onFailure(ASK_A_PERSON).timeout(t.migration());
        }
        Duration verify = t.watchGrace().plusSeconds(shape.verifySeconds());
        switch (shape.strategy()) {
            case BLUE_GREEN -> {
                saga.step("deploy-green").invoke(DEPLOY_GREEN).withCompensation(REMOVE_GREEN).onFailure(COMPENSATE).timeout(t.deploy());
                saga.step("verify-green").invoke(VERIFY).onFailure(COMPENSATE).timeout(verify);
                saga.step("shift-traffic").invoke(SHIFT_TRAFFIC).percent(100).withCompensation(ROLLBACK_TRAFFIC)
                        .onFailure(COMPENSATE).timeout(t.traffic());
            }
            case CANARY -> {
                saga.step("deploy-green").invoke(DEPLOY_GREEN).withCompensation(REMOVE_GREEN).onFailure(COMPENSATE).timeout(t.deploy());
                saga.step("verify-green").invoke(VERIFY).onFailure(COMPENSATE).timeout(verify);
                boolean first = true;
                for (int percent : shape.canarySteps()) {
                    // One RollbackTraffic returns every share to blue, so only the first shift carries it.
                    saga.step("shift-traffic-" + percent).invoke(SHIFT_TRAFFIC).percent(percent)
                            .withCompensation(first ? ROLLBACK_TRAFFIC : NONE).onFailure(COMPENSATE).timeout(t.traffic());
                    first = false;
                    if (percent < 100) {
                        saga.step("watch-canary-" + percent).invoke(WATCH_CANARY).percent(percent).onFailure(COMPENSATE)
                                .timeout(t.watchGrace().plusSeconds(shape.canaryPauseSeconds()));
                    }
                }
            }
            case ROLLING -> {
                // Matrix: a partial deployment failure is for a person, not an automatic undo.
                saga.step("roll-out").invoke(ROLL_OUT).percent(100).withCompensation(UNDO_ROLLOUT)
                        .onFailure(ASK_A_PERSON).timeout(t.deploy());
                saga.step("verify-rollout").invoke(VERIFY).percent(100).onFailure(COMPENSATE).timeout(verify);
            }
        }
        saga.step("monitor").invoke(MONITOR).percent(100).onFailure(COMPENSATE)
                .timeout(t.watchGrace().plusSeconds(shape.monitoringWindowSeconds()));
        if (shape.strategy() != Strategy.ROLLING) {
            // The colour that served before stays up (kept) until a Decommission after the keep period; nothing to
            // undo here, but a failed promotion compensates what came before (traffic back, green removed).
            saga.step("promote-green").invoke(PROMOTE_GREEN).percent(100).onFailure(COMPENSATE).timeout(t.traffic());
        }
        saga.step("release-lock").invoke(RELEASE_LOCK).onFailure(FAIL).timeout(t.traffic());
        return saga.build();
    }

    public List<SagaStep> steps() {
        return steps;
    }

    public SagaStep step(int index) {
        return steps.get(index);
    }

    public int size() {
        return steps.size();
    }

    public int indexOf(String name) {
        for (int i = 0; i < steps.size(); i++) {
            if (steps.get(i).name().equals(name)) {
                return i;
            }
        }
        return -1;
    }

    /** Collects the steps in the order they are written. */
    private static final class Builder {
        private final List<StepBuilder> steps = new ArrayList<>();

        StepBuilder step(String name) {
            StepBuilder step = new StepBuilder(name);
            steps.add(step);
            return step;
        }

        SagaDefinition build() {
            return new SagaDefinition(steps.stream().map(StepBuilder::build).toList());
        }
    }

    /**
     * One step as the definition reads: what it invokes, its traffic share, what undoes it, what the decision matrix
     * says on failure and its deadline. Without a compensation nothing is undone; without onFailure the saga fails.
     */
    private static final class StepBuilder {
        private final String name;
        private Action action;
        private int percent;
        private Compensation compensation = NONE;
        private OnFailure onFailure = FAIL;
        private Duration timeout;

        private StepBuilder(String name) {
            this.name = name;
        }

        StepBuilder invoke(Action action) {
            this.action = action;
            return this;
        }

        StepBuilder percent(int percent) {
            this.percent = percent;
            return this;
        }

        StepBuilder withCompensation(Compensation compensation) {
            this.compensation = compensation;
            return this;
        }

        StepBuilder onFailure(OnFailure onFailure) {
            this.onFailure = onFailure;
            return this;
        }

        StepBuilder timeout(Duration timeout) {
            this.timeout = timeout;
            return this;
        }

        SagaStep build() {
            if (action == null || timeout == null) {
                throw new IllegalStateException("step " + name + " needs invoke(...) and timeout(...)");
            }
            return new SagaStep(name, action, percent, compensation, onFailure, timeout);
        }
    }
}
