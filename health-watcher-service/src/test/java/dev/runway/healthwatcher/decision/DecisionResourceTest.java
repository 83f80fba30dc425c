package dev.runway.healthwatcher.decision;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import dev.runway.events.StartWatch;
import dev.runway.events.WatchTarget;
import dev.runway.healthwatcher.rules.Breach;
import dev.runway.healthwatcher.rules.DecisionMatrix;
import dev.runway.healthwatcher.rules.Metric;
import dev.runway.healthwatcher.rules.Point;
import dev.runway.healthwatcher.rules.Verdict;
import dev.runway.healthwatcher.support.Commands;
import dev.runway.testsupport.BackboneTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;

/** GET /decisions and the SSE stream over decisions stored in the real database. */
@QuarkusTest
@QuarkusTestResource(value = BackboneTestResource.class, initArgs = { @ResourceArg(name = "database", value = "runway_health_test"),
        @ResourceArg(name = "jdbc", value = "true") })
class DecisionResourceTest {

    private final DecisionService decisions;
    private final DecisionRepository repository;

    @TestHTTPResource("/decisions/stream")
    URL stream;

    DecisionResourceTest(DecisionService decisions, DecisionRepository repository) {
        this.decisions = decisions;
        this.repository = repository;
    }

    /** A watch (stored) concluded with a breach, as the evaluator would. */
    StartWatch breach(String deploymentId) {
        StartWatch start = Commands.startWatch(deploymentId, 60, Commands.thresholds(5, 2),
                List.of(WatchTarget.newBuilder().setComponent("api").setMetricsUrl("http://127.0.0.1:1/q/metrics").build()));
        Instant now = Instant.now();
        repository.insertWatch(start, now, now.plusSeconds(60)).await().atMost(Duration.ofSeconds(10));
        Breach b = new Breach("api", Metric.ERROR_RATE, 42, 5, 2, "http://127.0.0.1:1/q/metrics",
                List.of(new Point(now.minusSeconds(2), 50), new Point(now.minusSeconds(1), Double.NaN), new Point(now, 42)), now, null);
        assertTrue(decisions.conclude(start, new Verdict.Breached(b, DecisionMatrix.SEED.decide(b))).await().atMost(Duration.ofSeconds(20)));
        return start;
    }

    @Test
    void historyIsFilteredByDeploymentAndEnvironmentPagedAndCarriesTheEvidence() {
        String deploymentId = UUID.randomUUID().toString();
        StartWatch start = breach(deploymentId);
        // The same watch cannot conclude twice.
        assertEquals(false, decisions.conclude(start, new Verdict.Passed(3, "late")).await().atMost(Duration.ofSeconds(10)));

        given().queryParam("deploymentId", deploymentId).when().get("/decisions").then().statusCode(200)
                .body("total", equalTo(2))
                .body("items.kind", org.hamcrest.Matchers.containsInAnyOrder("ThresholdBreached", "RollbackDecided"))
                .body("items.find { it.kind == 'ThresholdBreached' }.samples.size()", equalTo(3))
                .body("items.find { it.kind == 'ThresholdBreached' }.samples[1].value", org.hamcrest.Matchers.nullValue())
                .body("items.find { it.kind == 'ThresholdBreached' }.source", equalTo("http://127.0.0.1:1/q/metrics"))
                .body("items.find { it.kind == 'RollbackDecided' }.mode", equalTo("AUTOMATIC"));
        given().queryParam("deploymentId", deploymentId).queryParam("size", 1).queryParam("page", 1).when().get("/decisions").then()
                .statusCode(200).body("items.size()", equalTo(1)).body("page", equalTo(1)).body("total", equalTo(2));
        given().queryParam("deploymentId", deploymentId).queryParam("environment", "production").when().get("/decisions").then()
                .statusCode(200).body("total", equalTo(0));
        given().queryParam("deploymentId", deploymentId).queryParam("environment", "staging").when().get("/decisions").then()
                .statusCode(200).body("total", equalTo(2));
    }

    @Test
    void badFiltersAreProblemDetails() {
        given().queryParam("environment", "MARS").when().get("/decisions").then().statusCode(400)
                .contentType("application/problem+json").body("title", equalTo("Unknown environment"));
        given().queryParam("size", 5000).when().get("/decisions").then().statusCode(400)
                .contentType("application/problem+json").body("detail", containsString("size"));
        given().queryParam("page", "x").when().get("/decisions").then().statusCode(400);
    }

    @Test
    void theStreamDeliversADecisionPublishedAfterTheClientConnected() throws Exception {
        String deploymentId = UUID.randomUUID().toString();
        HttpResponse<java.io.InputStream> response = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create(stream.toString())).header("Accept", "text/event-stream").build(),
                HttpResponse.BodyHandlers.ofInputStream());
        assertEquals(200, response.statusCode());
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
            CompletableFuture<String> found = CompletableFuture.supplyAsync(() -> {
                try {
                    String line;
                    boolean hello = false;
                    while ((line = reader.readLine()) != null) {
                        if (line.equals("event:hello") || line.equals("event: hello")) {
                            hello = true;
                        }
                        if (hello && line.startsWith("data:") && line.contains(deploymentId)) {
                            return line;
                        }
                    }
                    return null;
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            Thread.sleep(500);
            breach(deploymentId);
            String data = found.get(20, TimeUnit.SECONDS);
            assertTrue(data.contains("\"kind\":\"ThresholdBreached\"") || data.contains("\"kind\":\"RollbackDecided\""), data);
        }
    }
}
