package dev.runway.notifier.support;

import java.time.Clock;
import java.util.List;

import dev.runway.events.DeployRequested;
import dev.runway.events.DeploymentFailed;
import dev.runway.events.DeploymentRolledBack;
import dev.runway.events.DeploymentStarted;
import dev.runway.events.DeploymentSucceeded;
import dev.runway.events.Environment;
import dev.runway.events.EventHeader;
import dev.runway.events.Envelopes;
import dev.runway.events.HealthCheckPassed;
import dev.runway.events.IncidentPriority;
import dev.runway.events.RollbackDecided;
import dev.runway.events.RollbackMode;
import dev.runway.events.StepStarted;
import dev.runway.events.StepKind;
import dev.runway.events.Strategy;
import dev.runway.events.ThresholdBreached;
import dev.runway.events.WatchPhase;

/** Records of one deployment, as the orchestrator and health-watcher would publish them. */
public final class Events {

    private static final Clock CLOCK = Clock.systemUTC();

    private final String deploymentId;
    private final Environment environment;
    private final String project;
    private final String client;

    public Events(String deploymentId, Environment environment, String project) {
        this(deploymentId, environment, project, null);
    }

    /** Records of a project of a known client (null = records from before tenancy, without one). */
    public Events(String deploymentId, Environment environment, String project, String client) {
        this.deploymentId = deploymentId;
        this.environment = environment;
        this.project = project;
        this.client = client;
    }

    public EventHeader header() {
        return Envelopes.first(deploymentId, environment, project, client, CLOCK);
    }

    /** The seed's manifest (sop.md 000-5.1), trimmed, with this test's notifications block. */
    public static String manifest(String notificationsYaml) {
        return """
                version: "1.0"
                project:
                  name: "acme-shop"
                  client: "acme"
                  type: "web"
                components:
                  web:
                    enabled: true
                    framework: "nextjs"
                    port: 3000
                    healthcheck: "/api/health"
                deployment:
                  strategy: "blue-green"
                  approval_required:
                    staging: false
                    production: true
                  notifications:
                """ + notificationsYaml.indent(4) + """
                rollback:
                  automatic: true
                  threshold:
                    error_rate: 5
                    latency_p99: 2000
                """;
    }

    public DeployRequested deployRequested(String version, String manifest) {
        return DeployRequested.newBuilder().setHeader(header()).setVersion(version).setComponents(List.of("web", "api"))
                .setStrategy(Strategy.BLUE_GREEN).setDryRun(false).setRequestedBy("alice").setManifest(manifest).build();
    }

    public DeploymentStarted started(String version) {
        return DeploymentStarted.newBuilder().setHeader(header()).setVersion(version).setStrategy(Strategy.BLUE_GREEN)
                .setComponents(List.of("web", "api")).setFencingToken(7L).setDryRun(false).build();
    }

    public StepStarted stepStarted(String step) {
        return StepStarted.newBuilder().setHeader(header()).setStep(step).setKind(StepKind.FORWARD).setAttempt(1).build();
    }

    public DeploymentSucceeded succeeded(String version) {
        return DeploymentSucceeded.newBuilder().setHeader(header()).setVersion(version).setDurationMs(93_000L)
                .setComponents(List.of("web", "api")).build();
    }

    public DeploymentFailed failed(String version, String reason) {
        return DeploymentFailed.newBuilder().setHeader(header()).setVersion(version).setReason(reason)
                .setFailedStep("deploy-green").build();
    }

    public DeploymentRolledBack rolledBack(String version, String reason) {
        return DeploymentRolledBack.newBuilder().setHeader(header()).setVersion(version).setReason(reason)
                .setCompensations(List.of("rollback-traffic", "remove-green")).build();
    }

    public HealthCheckPassed healthPassed() {
        return HealthCheckPassed.newBuilder().setHeader(header()).setWatchId("w-1").setStep("deploy-green")
                .setPhase(WatchPhase.VERIFY_GREEN).setSamples(5).setSummary("all good").build();
    }

    public ThresholdBreached breached(String metric, double value, IncidentPriority priority) {
        return ThresholdBreached.newBuilder().setHeader(header()).setWatchId("w-1").setStep("shift-traffic-25")
                .setMetric(metric).setValue(value).setThreshold(5.0).setWindowSeconds(120)
                .setSource("http://green:3000/metrics").setSamples(List.of()).setPriority(priority).build();
    }

    public RollbackDecided rollbackDecided(IncidentPriority priority, String reason) {
        return RollbackDecided.newBuilder().setHeader(header()).setWatchId("w-1").setStep("shift-traffic-25")
                .setMode(RollbackMode.AUTOMATIC).setPriority(priority).setReason(reason).setTimeframeSeconds(0).build();
    }
}
