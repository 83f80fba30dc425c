package dev.runway.healthwatcher.sources;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import dev.runway.healthwatcher.rules.Point;
import dev.runway.testsupport.BackboneTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.Future;

/** The Prometheus HTTP API client against a small real HTTP server that answers in Prometheus' JSON format. */
@QuarkusTest
@QuarkusTestResource(value = BackboneTestResource.class, initArgs = { @ResourceArg(name = "database", value = "runway_health_test"),
        @ResourceArg(name = "jdbc", value = "true") })
class PrometheusApiTest {

    private final PrometheusApi api;
    private HttpServer server;
    private final List<String> queries = new CopyOnWriteArrayList<>();

    PrometheusApiTest(PrometheusApi api) {
        this.api = api;
    }

    @BeforeEach
    void fakePrometheus() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/api/v1/query", ex -> {
            String q = URLDecoder.decode(ex.getRequestURI().getRawQuery(), StandardCharsets.UTF_8);
            queries.add(q);
            String body;
            if (q.contains("errors_by_pod")) { // two series: the worst counts
                body = "{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":["
                        + "{\"metric\":{\"pod\":\"a\"},\"value\":[1700000000.0,\"2.5\"]},"
                        + "{\"metric\":{\"pod\":\"b\"},\"value\":[1700000000.0,\"7.25\"]}]}}";
            } else if (q.contains("nothing")) {
                body = "{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":[]}}";
            } else if (q.contains("nan")) {
                body = "{\"status\":\"success\",\"data\":{\"resultType\":\"scalar\",\"result\":[1700000000.0,\"NaN\"]}}";
            } else {
                send(ex, 400, "{\"status\":\"error\",\"errorType\":\"bad_data\",\"error\":\"parse error at char 3\"}");
                return;
            }
            send(ex, 200, body);
        });
        server.createContext("/api/v1/query_range", ex -> {
            queries.add(URLDecoder.decode(ex.getRequestURI().getRawQuery(), StandardCharsets.UTF_8));
            send(ex, 200, "{\"status\":\"success\",\"data\":{\"resultType\":\"matrix\",\"result\":[{\"metric\":{},\"values\":["
                    + "[1700000000,\"1\"],[1700000001,\"NaN\"],[1700000002,\"9.5\"]]}]}}");
        });
        server.start();
    }

    static void send(HttpExchange ex, int status, String body) throws IOException {
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", "application/json");
        ex.sendResponseHeaders(status, b.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(b);
        }
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    String base() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    static <T> T await(Future<T> f) throws Exception {
        return f.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @Test
    void instantQueryTakesTheWorstSeriesAndSendsTheRenderedQueryAndTime() throws Exception {
        Instant at = Instant.ofEpochMilli(1_700_000_000_123L);
        assertEquals(7.25, await(api.instant(base(), "sum by (pod) (errors_by_pod{version=\"1.4.0\"})", at)));
        assertTrue(queries.get(0).contains("query=sum by (pod) (errors_by_pod{version=\"1.4.0\"})"), queries.get(0));
        assertTrue(queries.get(0).contains("time=1700000000.123"), queries.get(0));
    }

    @Test
    void emptyResultAndNaNAreNoDataAndErrorsFail() throws Exception {
        assertTrue(Double.isNaN(await(api.instant(base(), "nothing", Instant.now()))));
        assertTrue(Double.isNaN(await(api.instant(base(), "nan", Instant.now()))));
        var failed = api.instant(base(), "bad(", Instant.now()).toCompletionStage().toCompletableFuture();
        try {
            failed.get(10, TimeUnit.SECONDS);
            throw new AssertionError("a Prometheus error must fail the query");
        } catch (ExecutionException e) {
            assertTrue(e.getCause().getMessage().contains("bad_data"), e.getCause().getMessage());
        }
    }

    @Test
    void rangeQueryGivesOnePointPerStepWithNaNKept() throws Exception {
        List<Point> points = await(api.range(base(), "rate(x[1m])", Instant.ofEpochSecond(1_700_000_000), Instant.ofEpochSecond(1_700_000_002),
                Duration.ofSeconds(1)));
        assertEquals(3, points.size());
        assertEquals(1.0, points.get(0).value());
        assertTrue(Double.isNaN(points.get(1).value()));
        assertEquals(Instant.ofEpochSecond(1_700_000_002), points.get(2).at());
        assertTrue(queries.get(0).contains("step=1.000"), queries.get(0));
    }
}
