package dev.runway.orchestrator.manifest;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import dev.runway.events.Environment;
import dev.runway.events.Strategy;
import dev.runway.events.TargetKind;

/**
 * The parts of a validated deploy manifest the orchestrator acts on. Everything else (build,
 * services, environment variables) is the validator's and the executor's business.
 */
public record Manifest(String project, String client, Map<String, Component> components, Optional<String> migrationsPath,
        Optional<Strategy> strategy, Map<Environment, Boolean> approvalRequired, Map<Environment, Integer> approvals,
        Map<Environment, DeploymentWindow> windows, Map<Environment, TargetKind> targets, List<Integer> canarySteps,
        Optional<Integer> canaryPauseSeconds, Optional<Integer> monitoringWindowSeconds, Rollback rollback) {

    public record Component(String name, boolean enabled, String image, String artifact, Integer port,
            String healthcheck, int replicas, String cpu, String memory, Strategy strategy) {
    }

    /** {@code rollback} block; absent numbers mean "SOP default". */
    public record Rollback(boolean automatic, Double errorRatePercent, Double latencyP99Ms, Double latencyP95Ms,
            Integer sustainedSeconds) {
    }
}
