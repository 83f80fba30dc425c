package dev.runway.orchestrator.saga;

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

/**
 * The deployment saga of seed 000 §7 and 004, one list per strategy. Each line is a step beside
 * its compensation and its decision-matrix entry; read top to bottom it is the SOP's pipeline.
 */
public final class SagaDefinition {

    private final List<SagaStep> steps;

    private SagaDefinition(List<SagaStep> steps) {
        this.steps = List.copyOf(steps);
    }

    public static SagaDefinition of(SagaShape shape, StepTimeouts t) {
        Steps s = new Steps();
        s.add("validate", Action.VALIDATE, 0, NONE, FAIL, t.validation());
        if (shape.requiredApprovals() > 0) {
            s.add("approval", Action.APPROVAL, 0, NONE, FAIL, t.approval());
        }
        if (shape.windowed()) {
            s.add("window", Action.WINDOW, 0, NONE, FAIL, t.window());
        }
        s.add("lock", Action.ACQUIRE_LOCK, 0, NONE, FAIL, t.lock());
        if (shape.database()) {
            // A backup changes nothing users see; a failed migration is for a person (matrix: manual).
            s.add("backup-database", Action.BACKUP_DATABASE, 0, NONE, FAIL, t.backup());
            s.add("apply-migrations", Action.APPLY_MIGRATIONS, 0, RESTORE_DATABASE, ASK_A_PERSON, t.migration());
        }
        Duration verify = t.watchGrace().plusSeconds(shape.verifySeconds());
        switch (shape.strategy()) {
            case BLUE_GREEN -> {
                s.add("deploy-green", Action.DEPLOY_GREEN, 0, REMOVE_GREEN, COMPENSATE, t.deploy());
                s.add("verify-green", Action.VERIFY, 0, NONE, COMPENSATE, verify);
                s.add("shift-traffic", Action.SHIFT_TRAFFIC, 100, ROLLBACK_TRAFFIC, COMPENSATE, t.traffic());
            }
            case CANARY -> {
                s.add("deploy-green", Action.DEPLOY_GREEN, 0, REMOVE_GREEN, COMPENSATE, t.deploy());
                s.add("verify-green", Action.VERIFY, 0, NONE, COMPENSATE, verify);
                boolean first = true;
                for (int percent : shape.canarySteps()) {
                    // One RollbackTraffic returns every share to blue, so only the first shift carries it.
                    s.add("shift-traffic-" + percent, Action.SHIFT_TRAFFIC, percent, first ? ROLLBACK_TRAFFIC : NONE,
                            COMPENSATE, t.traffic());
                    first = false;
                    if (percent < 100) {
                        s.add("watch-canary-" + percent, Action.WATCH_CANARY, percent, NONE, COMPENSATE,
                                t.watchGrace().plusSeconds(shape.canaryPauseSeconds()));
                    }
                }
            }
            case ROLLING -> {
                // Matrix: a partial deployment failure is for a person, not an automatic undo.
                s.add("roll-out", Action.ROLL_OUT, 100, UNDO_ROLLOUT, ASK_A_PERSON, t.deploy());
                s.add("verify-rollout", Action.VERIFY, 100, NONE, COMPENSATE, verify);
            }
        }
        s.add("monitor", Action.MONITOR, 100, NONE, COMPENSATE,
                t.watchGrace().plusSeconds(shape.monitoringWindowSeconds()));
        s.add("release-lock", Action.RELEASE_LOCK, 0, NONE, FAIL, t.traffic());
        return new SagaDefinition(s.list);
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

    private static final class Steps {
        private final List<SagaStep> list = new ArrayList<>();

        void add(String name, Action action, int percent, Compensation compensation, OnFailure onFailure,
                Duration timeout) {
            list.add(new SagaStep(name, action, percent, compensation, onFailure, timeout));
        }
    }
}
