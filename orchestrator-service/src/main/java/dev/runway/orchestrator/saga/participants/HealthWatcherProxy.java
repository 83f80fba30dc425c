package dev.runway.orchestrator.saga.participants;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;

import org.apache.avro.specific.SpecificRecord;

import dev.runway.events.EventHeader;
import dev.runway.events.HealthCheckPassed;
import dev.runway.events.IncidentPriority;
import dev.runway.events.RollbackDecided;
import dev.runway.events.RollbackMode;
import dev.runway.events.StartWatch;
import dev.runway.events.StopWatch;
import dev.runway.events.ThresholdBreached;
import dev.runway.events.Thresholds;
import dev.runway.events.Topics;
import dev.runway.events.WatchPhase;
import dev.runway.events.WatchTarget;
import dev.runway.orchestrator.OrchestratorConfig;
import dev.runway.orchestrator.deployment.Deployment;
import dev.runway.orchestrator.deployment.DeploymentPlan;
import dev.runway.orchestrator.deployment.ReleaseEndpoints;
import dev.runway.orchestrator.saga.SagaStep;

/**
 * The health-watcher: watches a release's metrics for a window and gives a verdict. It reads
 * {@code StartWatch}/{@code StopWatch} on {@link Topics#HEALTH_COMMANDS} and answers on
 * {@link Topics#HEALTH_DECISIONS}.
 */
@ApplicationScoped
public class HealthWatcherProxy implements Participant {

    private final OrchestratorConfig.Watch watch;
    private final ReleaseEndpoints endpoints;
    private final Replies replies = new Replies()
            .on(HealthCheckPassed.class, (d, plan, r) -> ReplyOutcome.succeeded(r.getStep(), r.getSummary()))
            .on(ThresholdBreached.class, (d, plan, r) -> automatic(plan, r.getPriority())
                    ? ReplyOutcome.breached(r.getStep(), describe(r))
                    : ReplyOutcome.recommend(r.getStep(), "threshold breached (" + r.getPriority() + "): " + describe(r)
                            + "; manual rollback recommended"))
            .on(RollbackDecided.class, (d, plan, r) -> r.getMode() != RollbackMode.RECOMMENDED && automatic(plan, r.getPriority())
                    ? ReplyOutcome.breached(r.getStep(), r.getReason())
                    : ReplyOutcome.recommend(r.getStep(), "rollback recommended (" + r.getPriority() + ", within "
                            + r.getTimeframeSeconds() + " s): " + r.getReason()));

    public HealthWatcherProxy(OrchestratorConfig config, ReleaseEndpoints endpoints) {
        this.watch = config.watch();
        this.endpoints = endpoints;
    }

    @Override
    public String name() {
        return "health-watcher";
    }

    @Override
    public String replyTopic() {
        return Topics.HEALTH_DECISIONS;
    }

    @Override
    public Set<Class<? extends SpecificRecord>> replyTypes() {
        return replies.types();
    }

    @Override
    public Optional<ReplyOutcome> understand(Deployment d, DeploymentPlan plan, SpecificRecord reply) {
        return replies.read(d, plan, reply);
    }

    /** The manifest's rollback.automatic and the 004 matrix: only P0 rolls back without a person. */
    private static boolean automatic(DeploymentPlan plan, IncidentPriority priority) {
        return priority == IncidentPriority.P0 && plan.thresholds().automatic();
    }

    private static String describe(ThresholdBreached b) {
        return b.getMetric() + " " + b.getValue() + " > " + b.getThreshold() + " for " + b.getWindowSeconds() + " s ("
                + b.getSource() + ", " + b.getSamples().size() + " samples)";
    }

    /** One watch per step, so a late verdict of an earlier watch never answers a later one. */
    public static String watchId(Deployment d, SagaStep step) {
        return d.id + ":" + step.name();
    }

    /** Starts the watch of a watch step. */
    public Command startWatch(Deployment d, DeploymentPlan plan, SagaStep step, EventHeader header) {
        WatchPhase phase = switch (step.action()) {
            case VERIFY -> WatchPhase.VERIFY_GREEN;
            case WATCH_CANARY -> WatchPhase.CANARY_STEP;
            default -> WatchPhase.POST_DEPLOY;
        };
        int window = switch (phase) {
            case VERIFY_GREEN -> plan.shape().verifySeconds();
            case CANARY_STEP -> plan.shape().canaryPauseSeconds();
            case POST_DEPLOY -> plan.shape().monitoringWindowSeconds();
        };
        DeploymentPlan.Thresholds t = plan.thresholds();
        Thresholds thresholds = Thresholds.newBuilder().setErrorRatePercent(t.errorRatePercent())
                .setLatencyP99Ms(t.latencyP99Ms()).setLatencyP95Ms(t.latencyP95Ms())
                .setSustainedSeconds(t.sustainedSeconds()).setBaselineDegradationPercent(50.0).build();
        Map<String, ReleaseEndpoints.Endpoint> released = endpoints.of(d);
        List<WatchTarget> targets = plan.components().stream().map(c -> {
            ReleaseEndpoints.Endpoint e = ReleaseEndpoints.of(released, c.name());
            return WatchTarget.newBuilder().setComponent(c.name())
                    .setMetricsUrl(url(watch.metricsUrlTemplate(), d, c, e))
                    .setHealthUrl(url(watch.healthUrlTemplate(), d, c, e))
                    .setBaselineMetricsUrl(url(watch.baselineMetricsUrlTemplate(), d, c, e))
                    .setPrometheusQuery(null).build();
        }).toList();
        return new Command(Topics.HEALTH_COMMANDS, StartWatch.newBuilder().setHeader(header).setWatchId(watchId(d, step))
                .setStep(step.name()).setVersion(d.version).setPhase(phase).setTrafficPercent(step.percent())
                .setWindowSeconds(window).setThresholds(thresholds).setTargets(targets).build());
    }

    /** Stops the watch of a step that is being abandoned. */
    public Command stopWatch(Deployment d, SagaStep step, EventHeader header) {
        return new Command(Topics.HEALTH_COMMANDS, StopWatch.newBuilder().setHeader(header).setWatchId(watchId(d, step))
                .setReason("deployment is being stopped").build());
    }

    /**
     * A watch URL from its template. {@code {endpoint}} / {@code {baselineEndpoint}} are the release URLs the executor
     * reported; a template that needs one the executor did not report gives no URL (the watcher then has no such source).
     */
    private static String url(Optional<String> template, Deployment d, DeploymentPlan.ComponentPlan c,
            ReleaseEndpoints.Endpoint e) {
        if (template.isEmpty()) {
            return null;
        }
        String t = template.get();
        if (t.contains("{endpoint}") && e.url() == null || t.contains("{baselineEndpoint}") && e.baselineUrl() == null) {
            return null;
        }
        return t.replace("{endpoint}", e.url() == null ? "" : e.url())
                .replace("{baselineEndpoint}", e.baselineUrl() == null ? "" : e.baselineUrl())
                .replace("{component}", c.name())
                .replace("{environment}", d.environment.toLowerCase(Locale.ROOT)).replace("{project}", d.project)
                .replace("{version}", d.version).replace("{port}", c.port() == null ? "" : c.port().toString())
                .replace("{healthcheck}", c.healthcheck() == null ? "/health" : c.healthcheck());
    }
}
