package dev.runway.healthwatcher.plan;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import dev.runway.access.ProjectNames;
import dev.runway.events.StartWatch;
import dev.runway.events.Thresholds;
import dev.runway.events.WatchPhase;
import dev.runway.events.WatchTarget;
import dev.runway.healthwatcher.config.WatcherConfig;
import dev.runway.healthwatcher.outbound.OutboundTarget;
import dev.runway.healthwatcher.rules.DecisionMatrix;
import dev.runway.healthwatcher.rules.Metric;
import dev.runway.healthwatcher.rules.WatchEvaluator;

/**
 * From a StartWatch and the configuration to what a watch does: whether this instance takes it, whether
 * it is too old to start, what it reads ({@link WatchPlan}) and the rules it is judged by. Plain Java,
 * no I/O; a command that cannot be watched is refused with {@link InvalidCommandException}.
 */
@ApplicationScoped
public class WatchPlanner {

    private final WatcherConfig config;

    public WatchPlanner(WatcherConfig config) {
        this.config = config;
    }

    /** Whether this instance watches the project (runway.health.only-projects). */
    public boolean accepts(String project) {
        return config.onlyProjects().map(list -> list.stream().anyMatch(project::startsWith)).orElse(true);
    }

    /** True for a StartWatch whose window ended more than runway.health.max-command-age ago. */
    public boolean expired(StartWatch command, Instant now) {
        Instant windowEnd = command.getHeader().getOccurredAt().plusSeconds(command.getWindowSeconds());
        return windowEnd.plus(config.maxCommandAge()).isBefore(now);
    }

    /** Checks the command and renders its queries; refuses what cannot be watched (the reason goes to the dead-letter topic). */
    public WatchPlan plan(StartWatch c) {
        if (c.getWindowSeconds() <= 0) {
            throw new InvalidCommandException("windowSeconds must be positive, got " + c.getWindowSeconds());
        }
        Thresholds t = c.getThresholds();
        if (t == null || t.getSustainedSeconds() < 0 || Double.isNaN(t.getErrorRatePercent()) || t.getErrorRatePercent() < 0) {
            throw new InvalidCommandException("thresholds need errorRatePercent >= 0 and sustainedSeconds >= 0");
        }
        if (c.getTargets().isEmpty()) {
            throw new InvalidCommandException("no targets: nothing to watch would be a silent pass");
        }
        if (c.getTargets().size() > config.maxTargets()) {
            throw new InvalidCommandException("too many targets: " + c.getTargets().size() + " > " + config.maxTargets());
        }
        Map<String, String> labels = new HashMap<>();
        labels.put("deploymentId", c.getHeader().getDeploymentId());
        labels.put("environment", c.getHeader().getEnvironment().name().toLowerCase());
        labels.put("project", c.getHeader().getProject());
        // Older StartWatches carry no client: {{client}} renders empty rather than rejecting them.
        labels.put("client", c.getHeader().getClient() == null ? "" : c.getHeader().getClient());
        labels.put("version", c.getVersion());
        labels.put("step", c.getStep());
        labels.put("watchId", c.getWatchId());
        labels.put("trafficPercent", String.valueOf(c.getTrafficPercent()));
        Map<String, Map<Metric, String>> queries = new LinkedHashMap<>();
        for (WatchTarget target : c.getTargets()) {
            if (target.getMetricsUrl() == null && target.getHealthUrl() == null && target.getPrometheusQuery() == null) {
                throw new InvalidCommandException("target " + target.getComponent() + " has no metricsUrl, healthUrl or prometheusQuery");
            }
            for (String url : new String[] { target.getMetricsUrl(), target.getHealthUrl(), target.getBaselineMetricsUrl() }) {
                if (url != null) {
                    checkUrl(target.getComponent(), url);
                }
            }
            if (target.getPrometheusQuery() != null) {
                labels.put("component", target.getComponent());
                try {
                    queries.put(target.getComponent(), QueryTemplates.render(target.getPrometheusQuery(), labels));
                } catch (IllegalArgumentException e) {
                    throw new InvalidCommandException(target.getComponent() + ": " + e.getMessage());
                }
            }
        }
        return new WatchPlan(queries, prometheusUrl(c.getHeader().getProject(), c.getHeader().getEnvironment().name()));
    }

    /**
     * The rules of a watch whose window ends at {@code endsAt}, {@code insufficientWindows} of its allowed windows
     * without enough data already spent. The evaluator's window starts one window before that end, so a resumed
     * watch keeps its end.
     */
    public WatchEvaluator evaluator(StartWatch command, Instant endsAt, int insufficientWindows) {
        Thresholds t = command.getThresholds();
        boolean hasBaseline = command.getTargets().stream().anyMatch(x -> x.getBaselineMetricsUrl() != null);
        Double baseline = t.getBaselineDegradationPercent() != null ? t.getBaselineDegradationPercent()
                : hasBaseline ? Double.valueOf(config.defaultBaselineDegradationPercent()) : null;
        WatcherConfig.Matrix m = config.matrix();
        DecisionMatrix matrix = new DecisionMatrix(m.p0ErrorRatePercent(), m.p0LatencyMs(), (int) m.errorRateP1Timeframe().toSeconds(),
                (int) m.latencyP1Timeframe().toSeconds(), (int) m.insufficientDataTimeframe().toSeconds());
        Duration window = Duration.ofSeconds(command.getWindowSeconds());
        return new WatchEvaluator(new WatchEvaluator.Settings(t.getErrorRatePercent(), t.getLatencyP99Ms(),
                t.getLatencyP95Ms(), Duration.ofSeconds(t.getSustainedSeconds()), baseline, window, config.minCoveragePercent(),
                Math.max(1, config.insufficientWindows() - insufficientWindows), matrix,
                command.getPhase() != WatchPhase.VERIFY_GREEN), endsAt.minus(window));
    }

    /** The project environment's own Prometheus server, else the environment's, else the default one (or none). */
    String prometheusUrl(String project, String environment) {
        String env = environment.toLowerCase(Locale.ROOT);
        WatcherConfig.Prometheus p = config.prometheus();
        String own = null;
        try {
            own = p.projectEnvironments().get(ProjectNames.projectEnvironment(project, env));
        } catch (IllegalArgumentException e) {
            // A project name that cannot be made safe has no entry of its own.
        }
        return own != null ? own : p.environments().getOrDefault(env, p.url().orElse(null));
    }

    private static void checkUrl(String component, String url) {
        try {
            OutboundTarget.parse(url);
        } catch (IllegalArgumentException e) {
            throw new InvalidCommandException(component + ": " + e.getMessage());
        }
    }
}
