package dev.runway.healthwatcher.watch;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import dev.runway.access.ProjectScope;
import dev.runway.events.StartWatch;
import dev.runway.events.StopWatch;
import dev.runway.events.WatchTarget;
import dev.runway.healthwatcher.config.WatcherConfig;
import dev.runway.healthwatcher.decision.DecisionService;
import dev.runway.healthwatcher.metrics.WatcherMetrics;
import dev.runway.healthwatcher.plan.InvalidCommandException;
import dev.runway.healthwatcher.plan.WatchPlan;
import dev.runway.healthwatcher.plan.WatchPlanner;
import dev.runway.healthwatcher.rules.Verdict;
import dev.runway.healthwatcher.sources.HttpSources;
import dev.runway.healthwatcher.sources.OutboundHttp;
import dev.runway.healthwatcher.sources.PrometheusApi;
import dev.runway.healthwatcher.sources.TargetReader;
import dev.runway.healthwatcher.store.DecisionRepository;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

/**
 * Starts, stops and resumes watches. Each live watch has its own Vert.x periodic timer at the scrape
 * interval; the state that matters across restarts (the watch, its window, its decision) is in
 * Postgres, so a redelivered StartWatch or a restart never yields a second decision. What a watch
 * reads and how it is judged is planned by {@link WatchPlanner}.
 */
@ApplicationScoped
public class WatchService {

    private static final Logger LOG = Logger.getLogger(WatchService.class);

    private final Vertx vertx;
    private final WatcherConfig config;
    private final WatchPlanner planner;
    private final DecisionRepository repository;
    private final DecisionService decisions;
    private final HttpSources http;
    private final OutboundHttp outbound;
    private final PrometheusApi prometheus;
    private final WatcherMetrics metrics;
    private final Clock clock = Clock.systemUTC();
    private final Map<String, LiveWatch> live = new ConcurrentHashMap<>();

    public WatchService(Vertx vertx, WatcherConfig config, WatchPlanner planner, DecisionRepository repository,
            DecisionService decisions, HttpSources http, OutboundHttp outbound, PrometheusApi prometheus, WatcherMetrics metrics) {
        this.vertx = vertx;
        this.config = config;
        this.planner = planner;
        this.repository = repository;
        this.decisions = decisions;
        this.http = http;
        this.outbound = outbound;
        this.prometheus = prometheus;
        this.metrics = metrics;
        metrics.activeWatches(live::size);
    }

    /** Starts a watch once; a StartWatch seen before (redelivery) is acknowledged without effect. */
    public Uni<Void> start(StartWatch command) {
        WatchPlan plan = planner.plan(command);
        return admit(command).chain(() -> insert(command, plan));
    }

    private Uni<Void> insert(StartWatch command, WatchPlan plan) {
        Instant now = clock.instant();
        Instant endsAt = now.plusSeconds(command.getWindowSeconds());
        return repository.insertWatch(command, now, endsAt).invoke(inserted -> {
            if (inserted) {
                launch(command, plan, now, endsAt, 0);
            } else {
                LOG.infof("StartWatch %s for watch %s seen before; not started again", command.getHeader().getEventId(), command.getWatchId());
            }
        }).replaceWithVoid();
    }

    /**
     * Every URL of the command resolved and checked against runway.health.outbound.allow before anything is fetched or
     * stored: one refused URL refuses the whole command (a watch missing one of its sources could pass unseen), as
     * poison with the reason.
     */
    private Uni<Void> admit(StartWatch command) {
        List<Future<Void>> checks = new ArrayList<>();
        for (WatchTarget t : command.getTargets()) {
            checks.add(admit(t.getComponent(), "metricsUrl", t.getMetricsUrl()));
            checks.add(admit(t.getComponent(), "healthUrl", t.getHealthUrl()));
            checks.add(admit(t.getComponent(), "baselineMetricsUrl", t.getBaselineMetricsUrl()));
        }
        return Uni.createFrom().completionStage(() -> Future.all(checks).<Void>mapEmpty().toCompletionStage());
    }

    private Future<Void> admit(String component, String field, String url) {
        if (url == null) {
            return Future.succeededFuture();
        }
        return outbound.admit(url).recover(f -> Future.failedFuture(
                new InvalidCommandException(component + " " + field + " " + f.getMessage(), "refused-target")));
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

    /** Live watches of the projects {@code scope} allows, newest first. */
    public List<LiveWatch.Snapshot> live(ProjectScope scope) {
        return live.values().stream()
                .filter(w -> scope.allows(w.command().getHeader().getClient(), w.command().getHeader().getProject()))
                .map(LiveWatch::snapshot)
                .sorted(Comparator.comparing(LiveWatch.Snapshot::startedAt).reversed()).toList();
    }

    void onStart(@Observes StartupEvent event) {
        decisions.republishPending()
                .invoke(n -> {
                    if (n > 0) {
                        LOG.infof("re-sent %d stored decision(s) the broker had not acknowledged", n);
                    }
                })
                .chain(repository::active)
                .subscribe().with(list -> {
                    for (DecisionRepository.StoredWatch w : list) {
                        try {
                            launch(w.command(), planner.plan(w.command()), w.startedAt(), w.endsAt(), w.insufficientWindows());
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

    private void launch(StartWatch command, WatchPlan plan, Instant startedAt, Instant endsAt, int insufficientWindows) {
        String watchId = command.getWatchId();
        LiveWatch[] self = new LiveWatch[1];
        self[0] = new LiveWatch(command, planner.evaluator(command, endsAt, insufficientWindows),
                new TargetReader(command, plan, http, prometheus, metrics), startedAt, metrics, verdict -> onVerdict(self[0], verdict));
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
}
