package dev.runway.healthwatcher.sources;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import dev.runway.events.StartWatch;
import dev.runway.events.WatchTarget;
import dev.runway.healthwatcher.metrics.WatcherMetrics;
import dev.runway.healthwatcher.plan.WatchPlan;
import dev.runway.healthwatcher.rules.Metric;
import dev.runway.healthwatcher.rules.Observation;
import dev.runway.healthwatcher.scrape.TrafficDelta;
import dev.runway.healthwatcher.scrape.TrafficSnapshot;
import io.vertx.core.Future;

/**
 * Reads every target of one watch at once: metrics scrapes (as deltas since this watch's previous
 * scrape of the same URL), the baseline, health probes and Prometheus queries. A source that fails
 * or has no data gives NaN with the reason, never an error: the rules decide what missing data means.
 */
public final class TargetReader {

    private final StartWatch command;
    private final WatchPlan plan;
    private final HttpSources http;
    private final PrometheusApi prometheus;
    private final WatcherMetrics metrics;
    private final Map<String, TrafficSnapshot> previous = new ConcurrentHashMap<>();

    public TargetReader(StartWatch command, WatchPlan plan, HttpSources http, PrometheusApi prometheus, WatcherMetrics metrics) {
        this.command = command;
        this.plan = plan;
        this.http = http;
        this.prometheus = prometheus;
        this.metrics = metrics;
    }

    /** One observation per series of every target; {@code clock} gives the Prometheus query time. */
    public Future<List<Observation>> read(Clock clock) {
        List<Future<List<Observation>>> reads = new ArrayList<>();
        for (WatchTarget target : command.getTargets()) {
            reads.add(read(target, clock));
        }
        return succeeded(reads);
    }

    private Future<List<Observation>> read(WatchTarget target, Clock clock) {
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
        Map<Metric, String> queries = plan.queries().get(component);
        if (queries != null) {
            String promComponent = component + " (prometheus)";
            for (Map.Entry<Metric, String> q : queries.entrySet()) {
                if (plan.prometheusUrl() == null) {
                    parts.add(Future.succeededFuture(List.of(new Observation(promComponent, q.getKey(), q.getValue(), Double.NaN,
                            "no Prometheus server configured for " + command.getHeader().getEnvironment()))));
                    continue;
                }
                parts.add(prometheus.instant(plan.prometheusUrl(), q.getValue(), clock.instant())
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
        return succeeded(parts);
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

    /** Once all have completed: the observations of those that succeeded. */
    private static Future<List<Observation>> succeeded(List<Future<List<Observation>>> reads) {
        return Future.join(reads).transform(x -> {
            List<Observation> all = new ArrayList<>();
            for (Future<List<Observation>> f : reads) {
                if (f.succeeded()) {
                    all.addAll(f.result());
                }
            }
            return Future.succeededFuture(all);
        });
    }

    private static String detail(TrafficDelta d) {
        return d.why() != null ? d.why() : (long) d.requests() + " requests since the previous sample";
    }

    private static String fmt(double v) {
        return Double.isNaN(v) ? "n/a" : String.valueOf(Math.round(v));
    }
}
