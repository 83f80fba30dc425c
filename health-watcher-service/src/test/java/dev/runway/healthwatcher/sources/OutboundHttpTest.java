package dev.runway.healthwatcher.sources;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import dev.runway.healthwatcher.support.TestServer;
import dev.runway.testsupport.BackboneTestResource;
import dev.runway.testsupport.Tokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.vertx.core.Future;

/**
 * The watcher's HTTP against real servers on loopback: what is refused is never connected to, whatever
 * spelling the URL uses; answers are capped and timed. The test profile allowlists 127.0.0.1:1024-65535 only.
 */
@QuarkusTest
@QuarkusTestResource(value = BackboneTestResource.class, initArgs = { @ResourceArg(name = "database", value = "runway_health_test"),
        @ResourceArg(name = "jdbc", value = "true") })
class OutboundHttpTest {

    private final HttpSources sources;
    private final PrometheusApi prometheus;

    OutboundHttpTest(HttpSources sources, PrometheusApi prometheus) {
        this.sources = sources;
        this.prometheus = prometheus;
    }

    static <T> T result(Future<T> f) {
        try {
            return f.toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw new AssertionError("expected success, failed with " + e.getCause(), e.getCause());
        } catch (InterruptedException | TimeoutException e) {
            throw new AssertionError(e);
        }
    }

    static Throwable failure(Future<?> f) {
        try {
            Object value = f.toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
            throw new AssertionError("expected a failure, got " + value);
        } catch (ExecutionException e) {
            return e.getCause();
        } catch (InterruptedException | TimeoutException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void addressesOutsideTheAllowlistAreNeverConnectedToWhateverTheSpelling() {
        try (TestServer other = TestServer.on("127.0.0.2"); TestServer allowed = TestServer.on("127.0.0.1")) {
            int p2 = other.port();
            int p1 = allowed.port();
            Map<String, String> refused = new LinkedHashMap<>();
            refused.put("http://169.254.169.254/latest/meta-data/iam/security-credentials/", "169.254.169.254:80 is a cloud metadata address");
            refused.put("http://[fd00:ec2::254]/latest/meta-data/", "is a cloud metadata address");
            refused.put("http://10.0.0.1/q/metrics", "10.0.0.1:80 is a private address");
            refused.put("http://192.168.1.1:8080/q/metrics", "192.168.1.1:8080 is a private address");
            refused.put(other.url("/q/metrics"), "127.0.0.2:" + p2 + " is a loopback address");
            // Another loopback address in decimal and inside IPv6: judged by the address, not the spelling.
            refused.put("http://2130706434:" + p2 + "/q/metrics", "2130706434 (127.0.0.2):" + p2 + " is a loopback address");
            refused.put("http://[::ffff:127.0.0.2]:" + p2 + "/q/metrics", "(127.0.0.2):" + p2 + " is a loopback address");
            // The allowed server's port, but not its address: 0.0.0.0 and ::1 would reach this host.
            refused.put("http://0.0.0.0:" + p1 + "/q/metrics", "0.0.0.0:" + p1 + " is an unspecified address");
            refused.put("http://[::1]:" + p1 + "/q/metrics", ":" + p1 + " is a loopback address");
            // 127.0.0.1 itself, below the allowlisted port range.
            refused.put("http://127.0.0.1:80/q/metrics", "127.0.0.1:80 is a loopback address");
            refused.forEach((url, why) -> {
                Throwable scrape = failure(sources.scrape(url));
                assertInstanceOf(OutboundHttp.RefusedTarget.class, scrape, url);
                assertTrue(scrape.getMessage().contains(why) && scrape.getMessage().contains("runway.health.outbound.allow does not name it"),
                        url + ": " + scrape.getMessage());
                HttpSources.ProbeResult probe = result(sources.probe(url));
                assertFalse(probe.ok(), url);
                assertEquals(1, probe.attempts(), "a refusal is not retried: " + probe);
                assertTrue(probe.describe(200).contains("refused: ") && probe.describe(200).contains(why), probe.describe(200));
            });
            assertEquals(List.of(), other.requests, "127.0.0.2 is not allowlisted: never connected to");
            assertEquals(List.of(), allowed.requests, "0.0.0.0 and ::1 are not allowlisted: never connected to");

            // The same server's allowlisted address is fetched.
            result(sources.scrape(allowed.url("/q/metrics")));
            assertEquals(List.of("/q/metrics"), allowed.requests);
            assertTrue(RestAssured.given().header("Authorization", Tokens.bearer("prometheus", "metrics")).get("/q/metrics").asString().contains(
                    "runway_health_outbound_blocked_total{reason=\"refused\",source=\"scrape\"}"));
        }
    }

    @Test
    void aRedirectIsNotFollowedSoAnAllowedTargetCannotPointElsewhere() {
        try (TestServer other = TestServer.on("127.0.0.2"); TestServer allowed = TestServer.on("127.0.0.1")) {
            Throwable scrape = failure(sources.scrape(allowed.url("/redirect?" + other.url("/q/metrics"))));
            assertEquals("HTTP 302", scrape.getMessage());
            assertFalse(result(sources.probe(allowed.url("/redirect?" + other.url("/health")))).ok(), "a redirect is not the expected 200");
            assertEquals(List.of(), other.requests, "the redirect's target was never fetched");
        }
    }

    @Test
    void aNameIsResolvedOnceAndTheRequestGoesToTheCheckedAddressUnderItsOwnName() {
        try (TestServer allowed = TestServer.on("127.0.0.1")) {
            String url = "http://localhost:" + allowed.port() + "/health";
            assertTrue(result(sources.probe(url)).ok());
            assertEquals(List.of("localhost:" + allowed.port()), allowed.hostHeaders, "the Host header is the URL's, the socket the checked 127.0.0.1");
        }
    }

    @Test
    void anOversizedAnswerIsCutOffAndNeverHeldWhole() {
        try (TestServer server = TestServer.on("127.0.0.1")) {
            Throwable declared = failure(sources.scrape(server.url("/big")));
            assertInstanceOf(OutboundHttp.ResponseTooLarge.class, declared);
            assertEquals("response of " + TestServer.BIG + " bytes is over 2 MiB (runway.health.outbound.max-response-bytes), not read",
                    declared.getMessage());

            Throwable chunked = failure(sources.scrape(server.url("/big-chunked")));
            assertEquals("response over 2 MiB (runway.health.outbound.max-response-bytes), cut off", chunked.getMessage());

            // A gigabyte offered: the connection is closed at the cap, long before the server is done.
            Throwable endless = failure(sources.scrape(server.url("/endless")));
            assertInstanceOf(OutboundHttp.ResponseTooLarge.class, endless, "cut off at the cap, not timed out: " + endless);
            Awaitility.await("the server sees the connection closed").atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50))
                    .until(server.endlessClosedByClient::get);
            assertTrue(server.endlessWritten.get() < 64L * 1024 * 1024, "written before the close: " + server.endlessWritten.get());

            HttpSources.ProbeResult probe = result(sources.probe(server.url("/big-health")));
            assertFalse(probe.ok());
            assertEquals(1, probe.attempts(), probe.toString());
            assertTrue(probe.describe(200).contains("not read"), probe.describe(200));

            // The operator's Prometheus is not allowlisted but capped like the rest.
            Throwable query = failure(prometheus.instant(server.url("/big-chunked"), "up", Instant.now()));
            assertTrue(query.getMessage().contains("cut off"), query.getMessage());

            String metrics = RestAssured.given().header("Authorization", Tokens.bearer("prometheus", "metrics")).get("/q/metrics").asString();
            for (String source : new String[] { "scrape", "probe", "prometheus" }) {
                assertTrue(metrics.contains("runway_health_outbound_blocked_total{reason=\"too-large\",source=\"" + source + "\"}"), source);
            }
        }
    }

    @Test
    void aTargetThatTricklesItsAnswerIsCutAtTheDeadline() {
        try (TestServer server = TestServer.on("127.0.0.1")) {
            long t0 = System.nanoTime();
            Throwable slow = failure(sources.scrape(server.url("/trickle")));
            long ms = (System.nanoTime() - t0) / 1_000_000;
            assertEquals("no complete answer within 800 ms", slow.getMessage());
            assertTrue(ms < 3000, "one byte every 100 ms never counts as idle; the deadline still holds: " + ms + " ms");
        }
    }
}
