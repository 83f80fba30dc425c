package dev.runway.healthwatcher.watch;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import dev.runway.access.ProjectNames;
import dev.runway.access.ProjectScope;
import dev.runway.events.StartWatch;
import dev.runway.events.StopWatch;
import dev.runway.events.Thresholds;
import dev.runway.events.WatchPhase;
import dev.runway.events.WatchTarget;
import dev.runway.healthwatcher.decision.DecisionRepository;
import dev.runway.healthwatcher.decision.DecisionService;
import dev.runway.healthwatcher.prometheus.PrometheusApi;
import dev.runway.healthwatcher.prometheus.QueryTemplates;
import dev.runway.healthwatcher.rules.DecisionMatrix;
import dev.runway.healthwatcher.rules.Metric;
import dev.runway.healthwatcher.rules.Verdict;
import dev.runway.healthwatcher.rules.WatchEvaluator;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;

/**
 * Starts, stops and resumes watches. Each live watch has its own Vert.x periodic timer at the scrape
 * interval; the state that matters across restarts (the watch, its window, its decision) is in
 * Postgres, so a redelivered StartWatch or a restart never yields a second decision.
 */
@ApplicationScoped
public class WatchService {

    private static final Logger LOG = Logger.getLogger(WatchService.class);

    private final Vertx vertx;
    private final WatcherConfig config;
    private final DecisionRepository repository;
    private final DecisionService decisions;
    private final HttpSources http;
    private final PrometheusApi prometheus;
    private final WatcherMetrics metrics;
    private final Clock clock = Clock.systemUTC();
    private final Map<String, LiveWatch> live = new ConcurrentHashMap<>();

    public WatchService(Vertx vertx, WatcherConfig config, DecisionRepository repository, DecisionService decisions,
            HttpSources http, PrometheusApi prometheus, WatcherMetrics metrics) {
        this.vertx = vertx;
        this.config = config;
        this.repository = repository;
        this.decisions = decisions;
        this.http = http;
        this.prometheus = prometheus;
        this.metrics = metrics;
        metrics.activeWatches(live::size);
    }

    /** Whether this instance watches the project (runway.health.only-projects). */
    public boolean accepts(String project) {
        return config.onlyProjects().map(list -> list.stream().anyMatch(project::startsWith)).orElse(true);
    }

    /** True for a StartWatch whose window ended more than runway.health.max-command-age ago. */
    public boolean expired(StartWatch command, java.time.Instant now) {
        java.time.Instant windowEnd = command.getHeader().getOccurredAt().plusSeconds(command.getWindowSeconds());
        return windowEnd.plus(config.maxCommandAge()).isBefore(now);
    }

    /** Starts a watch once; a StartWatch seen before (redelivery) is acknowledged without effect. */
    public Uni<Void> start(StartWatch command) {
        LiveWatch.Sources sources = validate(command);
        Instant now = clock.instant();
        Instant endsAt = now.plusSeconds(command.getWindowSeconds());
        return repository.insertWatch(command, now, endsAt).invoke(inserted -> {
            if (inserted) {
                launch(command, sources, now, endsAt, 0);
            } else {
                LOG.infof("StartWatch %s for watch %s seen before; not started again", command.getHeader().getEventId(), command.getWatchId());
            }
        }).replaceWithVoid();
    }

    /** Stops a watch before its window ends: no decision is published for it. */
    public Uni<Void> stop(StopWatch command) {
        LiveWatch watch = live.remove(command.getWatchId());
        if (watch != null) {
            vertx.cancelTimer(watch.timerId());
            watch.finish("stopped");
        }
        return repository.stop(command.getWatchId(), command.getReason(), clock.instant())
                .invoke(stopped -> LOG.infof("StopWatch for %s (%s): %s", command.getWatchId(), command.getReason(),
                        stopped ? "stopped" : "was not watching"))
                .replaceWithVoid();
    }

    void onStart(@Observes StartupEvent event) {
        decisions.republishPending()
                .invoke(n -> { if (n > 0) LOG.infof("re-sent %d stored decision(s) the broker had not acknowledged", n); })
                .chain(repository::active)
                .subscribe().with(list -> {
                    for (DecisionRepository.StoredWatch w : list) {
                        try {
                            launch(w.command(), validate(w.command()), w.startedAt(), w.endsAt(), w.insufficientWindows());
                        } catch (RuntimeException e) {
                            LOG.warnf("cannot resume watch %s: %s", w.command().getWatchId(), e.getMessage());
                        }
                    }
                    if (!list.isEmpty()) {
                        LOG.infof("resumed %d watch(es)", list.size());
                    }
                }, failure -> LOG.error("could not resume watches", failure));
    }

    void onStop(@Observes ShutdownEvent event) {
        live.values().forEach(w -> vertx.cancelTimer(w.timerId()));
        live.clear();
    }

    private void launch(StartWatch command, LiveWatch.Sources sources, Instant startedAt, Instant endsAt, int insufficientWindows) {
        Thresholds t = command.getThresholds();
        boolean hasBaseline = command.getTargets().stream().anyMatch(x -> x.getBaselineMetricsUrl() != null);
        Double baseline = t.getBaselineDegradationPercent() != null ? t.getBaselineDegradationPercent()
                : hasBaseline ? Double.valueOf(config.defaultBaselineDegradationPercent()) : null;
        WatcherConfig.Matrix m = config.matrix();
        DecisionMatrix matrix = new DecisionMatrix(m.p0ErrorRatePercent(), m.p0LatencyMs(), (int) m.errorRateP1Timeframe().toSeconds(),
                (int) m.latencyP1Timeframe().toSeconds(), (int) m.insufficientDataTimeframe().toSeconds());
        // The evaluator's window starts where the stored one ends minus one window, so a resumed watch keeps its end.
        Duration window = Duration.ofSeconds(command.getWindowSeconds());
        WatchEvaluator evaluator = new WatchEvaluator(new WatchEvaluator.Settings(t.getErrorRatePercent(), t.getLatencyP99Ms(),
                t.getLatencyP95Ms(), Duration.ofSeconds(t.getSustainedSeconds()), baseline, window, config.minCoveragePercent(),
                Math.max(1, config.insufficientWindows() - insufficientWindows), matrix,
                command.getPhase() != WatchPhase.VERIFY_GREEN), endsAt.minus(window));
        String watchId = command.getWatchId();
        LiveWatch[] self = new LiveWatch[1];
        self[0] = new LiveWatch(command, evaluator, sources, startedAt, http, prometheus, metrics,
                verdict -> onVerdict(self[0], verdict));
        LiveWatch previous = live.put(watchId, self[0]);
        if (previous != null) {
            vertx.cancelTimer(previous.timerId());
        }
        long interval = config.scrapeInterval().toMillis();
        long first = System.nanoTime();
        long[] n = {0};
        // Due times are computed from the first tick, so the reported lag includes any timer drift.
        self[0].timerId(vertx.setPeriodic(interval, interval, id -> {
            n[0]++;
            self[0].tick(first + n[0] * interval * 1_000_000L, clock);
        }));
    }

    private void onVerdict(LiveWatch watch, Verdict verdict) {
        if (verdict instanceof Verdict.Extended e) {
            watch.state("insufficient data: window " + e.insufficientWindows() + " extended");
            LOG.warnf("watch %s: window without enough data (coverage %.0f %%), not promoting; watching until %s",
                    watch.watchId(), e.coveragePercent(), e.newWindowEnd());
            repository.extend(watch.watchId(), e.newWindowEnd(), e.insufficientWindows())
                    .subscribe().with(x -> { }, f -> LOG.error("could not store the extended window", f));
            return;
        }
        vertx.cancelTimer(watch.timerId());
        watch.finish(verdict instanceof Verdict.Passed ? "passed" : "breached");
        decisions.conclude(watch.command(), verdict)
                .eventually(() -> live.remove(watch.watchId(), watch))
                .subscribe().with(x -> { }, f -> LOG.errorf(f, "could not publish the decision of watch %s; it is stored and is sent again at start-up", watch.watchId()));
    }

    /** Rejects what cannot be watched; the reason goes to the dead-letter topic. */
    LiveWatch.Sources validate(StartWatch c) {
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
        return new LiveWatch.Sources(queries, prometheusUrl(c.getHeader().getProject(), c.getHeader().getEnvironment().name()));
    }

    /** The project environment's own Prometheus server, else the environment's, else the default one (or none). */
    String prometheusUrl(String project, String environment) {
        String env = environment.toLowerCase(java.util.Locale.ROOT);
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
            URI uri = URI.create(url);
            if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null) {
                throw new InvalidCommandException(component + ": not an http(s) URL: " + url);
            }
        } catch (IllegalArgumentException e) {
            throw new InvalidCommandException(component + ": not a URL: " + url);
        }
    }

    /** Live watches of the projects {@code scope} allows, for the page, newest first. */
    public List<Map<String, Object>> views(ProjectScope scope) {
        return live.values().stream()
                .filter(w -> scope.allows(w.command().getHeader().getClient(), w.command().getHeader().getProject()))
                .map(LiveWatch::view)
                .sorted(Comparator.comparing((Map<String, Object> v) -> (String) v.get("startedAt")).reversed()).toList();
    }

    public int activeCount() {
        return live.size();
    }
}
