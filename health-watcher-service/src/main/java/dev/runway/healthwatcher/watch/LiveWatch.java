package dev.runway.healthwatcher.watch;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

import dev.runway.events.StartWatch;
import dev.runway.events.WatchTarget;
import dev.runway.healthwatcher.prometheus.PrometheusApi;
import dev.runway.healthwatcher.rules.Metric;
import dev.runway.healthwatcher.rules.Observation;
import dev.runway.healthwatcher.rules.Verdict;
import dev.runway.healthwatcher.rules.WatchEvaluator;
import dev.runway.healthwatcher.scrape.TrafficDelta;
import dev.runway.healthwatcher.scrape.TrafficSnapshot;
import io.vertx.core.Future;

/**
 * One running watch: every tick it reads all of its sources at once, hands the observations to its
 * {@link WatchEvaluator} and reports a verdict other than "continue". A tick that is still sampling
 * when the next is due makes that next one skip (counted), so a slow target never piles up requests.
 */
public final class LiveWatch {

    /** Where the watch reads, and with which rendered queries. */
    record Sources(Map<String, Map<Metric, String>> queries, String prometheusUrl) {
    }

    private final StartWatch command;
    private final WatchEvaluator evaluator;
    private final Sources sources;
    private final HttpSources http;
    private final PrometheusApi prometheus;
    private final WatcherMetrics metrics;
    private final Consumer<Verdict> onVerdict;
    private final Map<String, TrafficSnapshot> previous = new ConcurrentHashMap<>();
    private final Instant startedAt;
    private volatile boolean busy;
    private volatile boolean finished;
    private volatile long timerId = -1;
    private volatile Instant lastTickAt;
    private volatile String state = "watching";

    LiveWatch(StartWatch command, WatchEvaluator evaluator, Sources sources, Instant startedAt, HttpSources http,
            PrometheusApi prometheus, WatcherMetrics metrics, Consumer<Verdict> onVerdict) {
        this.command = command;
        this.evaluator = evaluator;
        this.sources = sources;
        this.startedAt = startedAt;
        this.http = http;
        this.prometheus = prometheus;
        this.metrics = metrics;
        this.onVerdict = onVerdict;
    }

    /** One tick, due at {@code dueNanos} (System.nanoTime); {@code clock} gives sample times. */
    void tick(long dueNanos, java.time.Clock clock) {
        if (finished) {
            return;
        }
        if (busy) {
            metrics.skippedTick();
            return;
        }
        busy = true;
        List<Future<List<Observation>>> reads = new ArrayList<>();
        for (WatchTarget target : command.getTargets()) {
            reads.add(read(target, clock));
        }
        Future.join(reads).onComplete(done -> {
            try {
                if (finished) {
                    return;
                }
                List<Observation> observations = new ArrayList<>();
                for (Future<List<Observation>> f : reads) {
                    if (f.succeeded()) {
                        observations.addAll(f.result());
                    }
                }
                Instant now = clock.instant();
                lastTickAt = now;
                Verdict verdict;
                synchronized (evaluator) {
                    verdict = evaluator.tick(now, observations);
                }
                metrics.tickLag(java.time.Duration.ofNanos(System.nanoTime() - dueNanos));
                if (verdict instanceof Verdict.Breached || verdict instanceof Verdict.Passed) {
                    finished = true;
                }
                if (!(verdict instanceof Verdict.Continue)) {
                    onVerdict.accept(verdict);
                }
            } finally {
                busy = false;
            }
        });
    }

    private Future<List<Observation>> read(WatchTarget target, java.time.Clock clock) {
        String component = target.getComponent();
        List<Future<List<Observation>>> parts = new ArrayList<>();
        Future<TrafficDelta> current = null;
        if (target.getMetricsUrl() != null) {
            current = delta(target.getMetricsUrl());
            parts.add(current.map(d -> List.of(
                    new Observation(component, Metric.ERROR_RATE, target.getMetricsUrl(), d.errorRatePercent(), detail(d)),
                    new Observation(component, Metric.LATENCY_P99, target.getMetricsUrl(), d.p99Ms(), detail(d)),
                    new Observation(component, Metric.LATENCY_P95, target.getMetricsUrl(), d.p95Ms(), detail(d)))));
        }
        if (target.getBaselineMetricsUrl() != null && current != null) {
            Future<TrafficDelta> now = current;
            Future<TrafficDelta> baseline = delta(target.getBaselineMetricsUrl());
            parts.add(Future.join(now, baseline).transform(x -> {
                double mine = now.succeeded() ? now.result().p95Ms() : Double.NaN;
                double base = baseline.succeeded() ? baseline.result().p95Ms() : Double.NaN;
                double degradation = Double.isNaN(mine) || Double.isNaN(base) || base <= 0 ? Double.NaN : 100 * (mine - base) / base;
                String detail = "p95 " + fmt(mine) + " ms vs stable " + fmt(base) + " ms (" + target.getBaselineMetricsUrl() + ")";
                return Future.succeededFuture(List.of(new Observation(component, Metric.BASELINE_DEGRADATION,
                        target.getMetricsUrl(), degradation, detail)));
            }));
        }
        if (target.getHealthUrl() != null) {
            int expected = http.expectedStatus();
            parts.add(http.probe(target.getHealthUrl()).map(r -> List.of(
                    new Observation(component, Metric.HEALTH, target.getHealthUrl(), r.ok() ? 0 : 1, r.describe(expected)))));
        }
        Map<Metric, String> queries = sources.queries().get(component);
        if (queries != null) {
            String promComponent = component + " (prometheus)";
            for (Map.Entry<Metric, String> q : queries.entrySet()) {
                if (sources.prometheusUrl() == null) {
                    parts.add(Future.succeededFuture(List.of(new Observation(promComponent, q.getKey(), q.getValue(), Double.NaN,
                            "no Prometheus server configured for " + command.getHeader().getEnvironment()))));
                    continue;
                }
                parts.add(prometheus.instant(sources.prometheusUrl(), q.getValue(), clock.instant())
                        .transform(ar -> {
                            if (ar.failed()) {
                                metrics.sourceFailure("prometheus");
                            }
                            double v = ar.succeeded() ? ar.result() : Double.NaN;
                            String detail = ar.failed() ? "unreachable: " + ar.cause().getMessage() : Double.isNaN(v) ? "query returned no data" : null;
                            return Future.succeededFuture(List.of(new Observation(promComponent, q.getKey(), q.getValue(), v, detail)));
                        }));
            }
        }
        return Future.join(parts).transform(x -> {
            List<Observation> all = new ArrayList<>();
            for (Future<List<Observation>> p : parts) {
                if (p.succeeded()) {
                    all.addAll(p.result());
                }
            }
            return Future.succeededFuture(all);
        });
    }

    /** Scrape and compare with the previous scrape of the same URL; failures become NaN with the reason. */
    private Future<TrafficDelta> delta(String url) {
        return http.scrape(url).transform(ar -> {
            if (ar.failed()) {
                metrics.sourceFailure("scrape");
                String why = ar.cause() == null ? "failed" : ar.cause().getMessage();
                return Future.succeededFuture(new TrafficDelta(0, Double.NaN, Double.NaN, Double.NaN, "scrape failed: " + why));
            }
            TrafficSnapshot before = previous.put(url, ar.result());
            return Future.succeededFuture(ar.result().since(before));
        });
    }

    private static String detail(TrafficDelta d) {
        return d.why() != null ? d.why() : (long) d.requests() + " requests since the previous sample";
    }

    private static String fmt(double v) {
        return Double.isNaN(v) ? "n/a" : String.valueOf(Math.round(v));
    }

    // ------------------------------------------------------------------ state for the service and the page

    public StartWatch command() {
        return command;
    }

    public String watchId() {
        return command.getWatchId();
    }

    void timerId(long id) {
        this.timerId = id;
    }

    long timerId() {
        return timerId;
    }

    void finish(String state) {
        this.finished = true;
        this.state = state;
    }

    void state(String state) {
        this.state = state;
    }

    public Map<String, Object> view() {
        Map<String, Object> v = new HashMap<>();
        var h = command.getHeader();
        v.put("watchId", command.getWatchId());
        v.put("deploymentId", h.getDeploymentId());
        v.put("environment", h.getEnvironment().name());
        v.put("project", h.getProject());
        v.put("client", h.getClient());
        v.put("step", command.getStep());
        v.put("version", command.getVersion());
        v.put("phase", command.getPhase().name());
        v.put("trafficPercent", command.getTrafficPercent());
        v.put("state", state);
        v.put("startedAt", startedAt.toString());
        v.put("lastSampleAt", lastTickAt == null ? null : lastTickAt.toString());
        synchronized (evaluator) {
            v.put("windowEndsAt", evaluator.windowEnd().toString());
            v.put("samples", evaluator.ticks());
            v.put("insufficientWindows", evaluator.insufficientWindows());
            v.put("series", evaluator.view().stream().map(s -> {
                Map<String, Object> m = new HashMap<>();
                m.put("component", s.component());
                m.put("metric", s.metric());
                m.put("unit", s.unit());
                m.put("source", s.source());
                m.put("value", Double.isNaN(s.value()) ? null : s.value());
                m.put("threshold", s.threshold());
                m.put("breaching", s.breaching());
                m.put("detail", s.detail());
                m.put("coveragePercent", s.coveragePercent());
                return m;
            }).toList());
        }
        return v;
    }
}
