package dev.runway.healthwatcher.sources;

import java.util.ArrayList;
import java.util.List;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import dev.runway.healthwatcher.config.WatcherConfig;
import dev.runway.healthwatcher.scrape.PrometheusTextParser;
import dev.runway.healthwatcher.scrape.TrafficSnapshot;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;

/** The watcher's HTTP: scrapes of Prometheus-format endpoints and health probes, on the event loop. */
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

    private final Vertx vertx;
    private final WatcherConfig config;
    private final WebClient client;
    private final List<TrafficSnapshot.Convention> conventions;

    public HttpSources(Vertx vertx, WatcherConfig config) {
        this.vertx = vertx;
        this.config = config;
        int timeout = (int) config.requestTimeout().toMillis();
        this.client = WebClient.create(vertx, new WebClientOptions()
                .setUserAgent("runway-health-watcher")
                .setConnectTimeout(timeout)
                .setKeepAlive(true)
                .setMaxPoolSize(64)
                .setFollowRedirects(false));
        List<TrafficSnapshot.Convention> list = new ArrayList<>();
        config.scrape().requestCounter().ifPresent(counter -> list.add(
                new TrafficSnapshot.Convention(counter, config.scrape().statusLabel(), config.scrape().durationHistogram())));
        list.addAll(TrafficSnapshot.Convention.DEFAULTS);
        this.conventions = List.copyOf(list);
    }

    public int expectedStatus() {
        return config.probe().expectedStatus();
    }

    public WebClient client() {
        return client;
    }

    /** GET a Prometheus-format page and read its request counters and latency histogram. */
    public Future<TrafficSnapshot> scrape(String url) {
        return client.getAbs(url).timeout(config.requestTimeout().toMillis())
                .putHeader("Accept", "text/plain;version=0.0.4;q=0.9,application/openmetrics-text;q=0.5,*/*;q=0.1")
                .send()
                .compose(response -> {
                    if (response.statusCode() != 200) {
                        return Future.failedFuture("HTTP " + response.statusCode());
                    }
                    String body = response.bodyAsString();
                    return Future.succeededFuture(TrafficSnapshot.of(PrometheusTextParser.parse(body == null ? "" : body), conventions));
                });
    }

    /** Health endpoint with retries (sop.md 000-11.1: expected status, several attempts). */
    public Future<ProbeResult> probe(String url) {
        return attempt(url, 1);
    }

    private Future<ProbeResult> attempt(String url, int n) {
        int expected = config.probe().expectedStatus();
        return client.getAbs(url).timeout(config.requestTimeout().toMillis()).send()
                .transform(ar -> {
                    int status = ar.succeeded() ? ar.result().statusCode() : 0;
                    String error = ar.succeeded() ? null : String.valueOf(ar.cause().getMessage());
                    if (status == expected) {
                        return Future.succeededFuture(new ProbeResult(true, status, n, null));
                    }
                    if (n > config.probe().retries()) {
                        return Future.succeededFuture(new ProbeResult(false, status, n, error));
                    }
                    return vertx.timer(config.probe().retryDelay().toMillis()).compose(x -> attempt(url, n + 1));
                });
    }

    public Future<HttpResponse<Buffer>> get(String url) {
        return client.getAbs(url).timeout(config.requestTimeout().toMillis()).send();
    }

    @PreDestroy
    void close() {
        client.close();
    }
}
