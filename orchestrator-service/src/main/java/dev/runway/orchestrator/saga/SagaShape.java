package dev.runway.orchestrator.saga;

import java.util.ArrayList;
import java.util.List;

import dev.runway.events.Strategy;

/**
 * What decides the shape of a saga: taken from the request, the manifest and the environment policy.
 *
 * @param strategy                blue-green, canary or rolling
 * @param requiredApprovals       approvals the environment or manifest asks for (0 = no approval step)
 * @param windowed                a deployment window applies to this environment
 * @param database                the project has a database with migrations (backup + migrate steps)
 * @param canarySteps             traffic percentages of a canary, ending with 100
 * @param canaryPauseSeconds      watch between canary steps
 * @param verifySeconds           health verification of the new version before traffic moves
 * @param monitoringWindowSeconds watch after all traffic is on the new version
 */
public record SagaShape(Strategy strategy, int requiredApprovals, boolean windowed, boolean database,
        List<Integer> canarySteps, int canaryPauseSeconds, int verifySeconds, int monitoringWindowSeconds) {

    /** sop.md 004: canary 10 → 25 → 50 → 100. */
    public static final List<Integer> DEFAULT_CANARY = List.of(10, 25, 50, 100);

    public SagaShape {
        canarySteps = canarySteps == null || canarySteps.isEmpty() ? DEFAULT_CANARY : List.copyOf(canarySteps);
        if (canarySteps.get(canarySteps.size() - 1) != 100) {
            // A canary that never reaches 100 % would leave the release half-deployed.
            canarySteps = new ArrayList<>(canarySteps);
            canarySteps.add(100);
            canarySteps = List.copyOf(canarySteps);
        }
    }
}
