package dev.runway.orchestrator.deployment;

import java.util.List;

import dev.runway.orchestrator.manifest.DeploymentWindow;
import dev.runway.orchestrator.saga.SagaShape;

/**
 * Everything the saga needs that came from the request, the manifest and the environment policy,
 * frozen at request time (stored as JSON) so a resumed saga behaves exactly as it started.
 * {@code migrationsTool} is the manifest's {@code database.migrations.tool} (null: sql; plans stored before issue 16 lack it).
 */
public record DeploymentPlan(SagaShape shape, String target, List<ComponentPlan> components, Thresholds thresholds,
        String migrationsPath, DeploymentWindow window, String migrationsTool) {

    public record ComponentPlan(String name, String image, String artifact, Integer port, String healthcheck,
            int replicas, String cpu, String memory) {
    }

    /** Rollback thresholds (manifest {@code rollback}, else the SOP defaults). */
    public record Thresholds(boolean automatic, double errorRatePercent, Double latencyP99Ms, Double latencyP95Ms,
            int sustainedSeconds) {
    }
}
