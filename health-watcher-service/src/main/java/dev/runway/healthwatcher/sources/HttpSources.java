package dev.runway.healthwatcher.sources;

import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import dev.runway.healthwatcher.config.WatcherConfig;
import dev.runway.healthwatcher.scrape.PrometheusTextParser;
import dev.runway.healthwatcher.scrape.TrafficSnapshot;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

/**
 * The watcher's scrapes of Prometheus-format endpoints and health probes, on the event loop, through
 * {@link OutboundHttp} (allowlist, size cap, deadline).
 */
@ApplicationScoped
public class HttpSources {

    /** One probe of a health endpoint: {@code status} 0 when nothing answered. */
    public record ProbeResult(boolean ok, int status, int attempts, String error) {
        public String describe(int expected) {
            return ok ? "answered " + status
                    : "expected " + expected + ", got " + (status == 0 ? "no answer" + (error == null ? "" : " (" + error + ")") : status)
                            + " after " + attempts + " attempt(s)";
        }
    }

    private static final String ACCEPT = "text/plain;version=0.0.4;q=0.9,application/openmetrics-text;q=0.5,*/*;q=0.1";

    private final Vertx vertx;
    private final WatcherConfig config;
    private final OutboundHttp http;
    private final List<TrafficSnapshot.Convention> conventions;

    public HttpSources(Vertx vertx, WatcherConfig config, OutboundHttp http) {
        this.vertx = vertx;
        this.config = config;
        this.http = http;
        List<TrafficSnapshot.Convention> list = new ArrayList<>();
        config.scrape().requestCounter().ifPresent(counter -> list.add(
                new TrafficSnapshot.Convention(counter, config.scrape().statusLabel(), config.scrape().durationHistogram())));
        list.addAll(TrafficSnapshot.Convention.DEFAULTS);
        this.conventions = List.copyOf(list);
    }

    public int expectedStatus() {
        return config.probe().expectedStatus();
    }

    /** GET a Prometheus-format page and read its request counters and latency histogram. */
    public Future<TrafficSnapshot> scrape(String url) {
        return http.get("scrape", url, ACCEPT, true).compose(answer -> {
            if (answer.status() != 200) {
                return Future.failedFuture("HTTP " + answer.status());
            }
            return Future.succeededFuture(TrafficSnapshot.of(PrometheusTextParser.parse(answer.body().toString()), conventions));
        });
    }

    /** Health endpoint with retries (sop.md 000-11.1: expected status, several attempts). */
    public Future<ProbeResult> probe(String url) {
        return attempt(url, 1);
    }

    private Future<ProbeResult> attempt(String url, int n) {
        int expected = config.probe().expectedStatus();
        return http.get("probe", url, null, false)
                .transform(ar -> {
                    int status = ar.succeeded() ? ar.result().status() : 0;
                    String error = ar.succeeded() ? null : String.valueOf(ar.cause().getMessage());
                    if (status == expected) {
                        return Future.succeededFuture(new ProbeResult(true, status, n, null));
                    }
                    // A refused address or an oversized answer stays so: another attempt would only repeat it.
                    boolean lasting = ar.cause() instanceof OutboundHttp.RefusedTarget || ar.cause() instanceof OutboundHttp.ResponseTooLarge;
                    if (n > config.probe().retries() || lasting) {
                        return Future.succeededFuture(new ProbeResult(false, status, n, error));
                    }
                    return vertx.timer(config.probe().retryDelay().toMillis()).compose(x -> attempt(url, n + 1));
                });
    }
}
