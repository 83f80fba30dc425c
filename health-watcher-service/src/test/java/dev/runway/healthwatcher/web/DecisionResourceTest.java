package dev.runway.healthwatcher.web;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import dev.runway.events.StartWatch;
import dev.runway.events.WatchTarget;
import dev.runway.healthwatcher.decision.DecisionService;
import dev.runway.healthwatcher.rules.Breach;
import dev.runway.healthwatcher.rules.DecisionMatrix;
import dev.runway.healthwatcher.rules.Metric;
import dev.runway.healthwatcher.rules.Point;
import dev.runway.healthwatcher.rules.Verdict;
import dev.runway.healthwatcher.store.DecisionRepository;
import dev.runway.healthwatcher.support.Commands;
import dev.runway.testsupport.ApiSecurityWalker;
import dev.runway.testsupport.BackboneTestResource;
import dev.runway.testsupport.Tokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;

/** GET /decisions and the SSE stream over decisions stored in the real database, as seen through tokens of two clients. */
@QuarkusTest
@QuarkusTestResource(value = BackboneTestResource.class, initArgs = { @ResourceArg(name = "database", value = "runway_health_test"),
        @ResourceArg(name = "jdbc", value = "true") })
class DecisionResourceTest {

    // Fresh clients per run: the test database keeps earlier runs' rows, and "A sees only A" must hold over all of them.
    private static final String RUN = UUID.randomUUID().toString().substring(0, 8);
    static final String CLIENT_A = "hw-a-" + RUN;
    static final String CLIENT_B = "hw-b-" + RUN;
    static final String PROJECT_A = "hw-test-shop";
    static final String PROJECT_B = "hw-test-portal";

    private final DecisionService decisions;
    private final DecisionRepository repository;

    @TestHTTPResource("/decisions/stream")
    URL stream;

    DecisionResourceTest(DecisionService decisions, DecisionRepository repository) {
        this.decisions = decisions;
        this.repository = repository;
    }

    static String readerOfA() {
        return Tokens.bearer("ann", List.of(CLIENT_A + "/*"), "viewer");
    }

    static String readerOfB() {
        return Tokens.bearer("bob", List.of(CLIENT_B + "/" + PROJECT_B), "deployer");
    }

    /** A watch (stored) concluded with a breach, as the evaluator would. */
    StartWatch breach(String client, String project, String deploymentId) {
        StartWatch start = Commands.startWatch(client, project, deploymentId, 60, Commands.thresholds(5, 2),
                List.of(WatchTarget.newBuilder().setComponent("api").setMetricsUrl("http://127.0.0.1:1/q/metrics").build()));
        Instant now = Instant.now();
        repository.insertWatch(start, now, now.plusSeconds(60)).await().atMost(Duration.ofSeconds(10));
        Breach b = new Breach("api", Metric.ERROR_RATE, 42, 5, 2, "http://127.0.0.1:1/q/metrics",
                List.of(new Point(now.minusSeconds(2), 50), new Point(now.minusSeconds(1), Double.NaN), new Point(now, 42)), now, null);
        assertTrue(decisions.conclude(start, new Verdict.Breached(b, DecisionMatrix.SEED.decide(b))).await().atMost(Duration.ofSeconds(20)));
        return start;
    }

    @Test
    void historyIsFilteredByDeploymentEnvironmentAndProjectPagedAndCarriesTheEvidence() {
        String deploymentId = UUID.randomUUID().toString();
        StartWatch start = breach(CLIENT_A, PROJECT_A, deploymentId);
        // The same watch cannot conclude twice.
        assertEquals(false, decisions.conclude(start, new Verdict.Passed(3, "late")).await().atMost(Duration.ofSeconds(10)));

        given().header("Authorization", readerOfA()).queryParam("deploymentId", deploymentId).when().get("/decisions").then()
                .statusCode(200)
                .body("total", equalTo(2))
                .body("items.kind", containsInAnyOrder("ThresholdBreached", "RollbackDecided"))
                .body("items.client", everyItem(equalTo(CLIENT_A)))
                .body("items.project", everyItem(equalTo(PROJECT_A)))
                .body("items.find { it.kind == 'ThresholdBreached' }.samples.size()", equalTo(3))
                .body("items.find { it.kind == 'ThresholdBreached' }.samples[1].value", nullValue())
                .body("items.find { it.kind == 'ThresholdBreached' }.source", equalTo("http://127.0.0.1:1/q/metrics"))
                .body("items.find { it.kind == 'RollbackDecided' }.mode", equalTo("AUTOMATIC"));
        given().header("Authorization", readerOfA()).queryParam("deploymentId", deploymentId).queryParam("size", 1)
                .queryParam("page", 1).when().get("/decisions").then()
                .statusCode(200).body("items.size()", equalTo(1)).body("page", equalTo(1)).body("total", equalTo(2));
        given().header("Authorization", readerOfA()).queryParam("deploymentId", deploymentId).queryParam("environment", "production")
                .when().get("/decisions").then().statusCode(200).body("total", equalTo(0));
        given().header("Authorization", readerOfA()).queryParam("deploymentId", deploymentId).queryParam("environment", "staging")
                .when().get("/decisions").then().statusCode(200).body("total", equalTo(2));
        given().header("Authorization", readerOfA()).queryParam("project", PROJECT_A).queryParam("environment", "staging")
                .queryParam("client", CLIENT_A).queryParam("deploymentId", deploymentId).when().get("/decisions").then().statusCode(200).body("total", equalTo(2));
        given().header("Authorization", readerOfA()).queryParam("deploymentId", deploymentId).queryParam("project", "hw-test-other")
                .when().get("/decisions").then().statusCode(200).body("total", equalTo(0));
    }

    @Test
    void aReaderOfOneClientNeverSeesAnotherClientsDecisions() {
        String a = UUID.randomUUID().toString();
        String b = UUID.randomUUID().toString();
        breach(CLIENT_A, PROJECT_A, a);
        breach(CLIENT_B, PROJECT_B, b);

        // The whole history as A sees it: only A's client, and B's deployment not among it.
        given().header("Authorization", readerOfA()).queryParam("size", 200).when().get("/decisions").then().statusCode(200)
                .body("items.client", everyItem(equalTo(CLIENT_A)))
                .body("items.deploymentId", hasItem(a))
                .body("items.deploymentId", not(hasItem(b)));
        // Asking for B by id or by client gives nothing, not a hint that it exists.
        given().header("Authorization", readerOfA()).queryParam("deploymentId", b).when().get("/decisions").then()
                .statusCode(200).body("total", equalTo(0));
        given().header("Authorization", readerOfA()).queryParam("client", CLIENT_B).when().get("/decisions").then()
                .statusCode(200).body("total", equalTo(0));
        // B's token names one project of B: it sees that one, not A's.
        given().header("Authorization", readerOfB()).queryParam("size", 200).when().get("/decisions").then().statusCode(200)
                .body("items.deploymentId", hasItem(b)).body("items.deploymentId", not(hasItem(a)));
        // Agency-wide sees both.
        given().header("Authorization", Tokens.sre()).queryParam("deploymentId", b).when().get("/decisions").then()
                .statusCode(200).body("total", equalTo(2));
        // A decision stored before tenancy (no client) is matched by no client's scope: agency-wide readers only.
        String legacy = UUID.randomUUID().toString();
        breach(null, PROJECT_A, legacy);
        given().header("Authorization", Tokens.bearer("ann", List.of(CLIENT_A + "/*", CLIENT_A + "/" + PROJECT_A), "viewer"))
                .queryParam("deploymentId", legacy).when().get("/decisions").then().statusCode(200).body("total", equalTo(0));
        given().header("Authorization", Tokens.sre()).queryParam("deploymentId", legacy).when().get("/decisions").then()
                .statusCode(200).body("total", equalTo(2)).body("items.client", everyItem(nullValue()));
        // A token without runway_projects works for no project.
        given().header("Authorization", Tokens.bearer("nobody", List.of(), "viewer")).queryParam("deploymentId", a)
                .when().get("/decisions").then().statusCode(200).body("total", equalTo(0));
    }

    @Test
    void everyOperationNeedsATokenOfItsRolesForItsProject() {
        String deploymentId = UUID.randomUUID().toString();
        breach(CLIENT_A, PROJECT_A, deploymentId);
        List<String> walked = ApiSecurityWalker.covering(CLIENT_A + "/" + PROJECT_A, "someone-else/*", deploymentId)
                .query("deploymentId", deploymentId).atLeast(3).walk();
        assertTrue(walked.containsAll(List.of("GET /decisions", "GET /decisions/stream", "GET /watches")), walked.toString());
    }

    @Test
    void readingNeedsATokenWithAReadingRole() {
        for (String path : List.of("/decisions", "/decisions/stream", "/watches")) {
            given().when().get(path).then().statusCode(401).contentType("application/problem+json")
                    .header("WWW-Authenticate", "Bearer").body("title", equalTo("Unauthorized"));
            given().header("Authorization", "Bearer not-a-jwt").when().get(path).then().statusCode(401)
                    .contentType("application/problem+json");
            given().header("Authorization", Tokens.bearer("eve", List.of("*"), "guest")).when().get(path).then()
                    .statusCode(403).contentType("application/problem+json").body("title", equalTo("Forbidden"));
        }
        // A malformed claim is refused, not read as "everything" or as a server error.
        given().header("Authorization", Tokens.bearer("eve", List.of("acme/shop/extra"), "viewer")).when().get("/decisions")
                .then().statusCode(403).contentType("application/problem+json").body("detail", containsString("runway_projects"));
        given().header("Authorization", Tokens.bearer("sam", List.of(CLIENT_A + "/*"), "sre")).when().get("/watches").then()
                .statusCode(200);
        given().when().get("/q/health/live").then().statusCode(200);
        given().when().get("/index.html").then().statusCode(200).body(containsString("id=\"token\""));
    }

    @Test
    void badFiltersAreProblemDetails() {
        given().header("Authorization", readerOfA()).queryParam("environment", "MARS").when().get("/decisions").then().statusCode(400)
                .contentType("application/problem+json").body("title", equalTo("Unknown environment"));
        given().header("Authorization", readerOfA()).queryParam("size", 5000).when().get("/decisions").then().statusCode(400)
                .contentType("application/problem+json").body("detail", containsString("size"));
        given().header("Authorization", readerOfA()).queryParam("page", "x").when().get("/decisions").then().statusCode(400);
    }

    @Test
    void theStreamDeliversOnlyTheReadersClientsDecisionsPublishedAfterItConnected() throws Exception {
        String a = UUID.randomUUID().toString();
        String b = UUID.randomUUID().toString();
        HttpResponse<InputStream> response = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create(stream.toString())).header("Accept", "text/event-stream")
                        .header("Authorization", readerOfA()).build(),
                HttpResponse.BodyHandlers.ofInputStream());
        assertEquals(200, response.statusCode());
        List<String> lines = Collections.synchronizedList(new ArrayList<>());
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
            CompletableFuture<String> found = CompletableFuture.supplyAsync(() -> {
                try {
                    String line;
                    boolean hello = false;
                    while ((line = reader.readLine()) != null) {
                        lines.add(line);
                        if (line.equals("event:hello") || line.equals("event: hello")) {
                            hello = true;
                        }
                        if (hello && line.startsWith("data:") && line.contains(a)) {
                            return line;
                        }
                    }
                    return null;
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
            // Connected once the stream has said hello.
            Awaitility.await("the stream's hello").atMost(Duration.ofSeconds(10)).until(() -> {
                synchronized (lines) {
                    return lines.contains("event:hello") || lines.contains("event: hello");
                }
            });
            // B's decisions are published first: had the stream passed them on, they would arrive before A's.
            breach(CLIENT_B, PROJECT_B, b);
            breach(CLIENT_A, PROJECT_A, a);
            String data = found.get(20, TimeUnit.SECONDS);
            assertTrue(data.contains("\"kind\":\"ThresholdBreached\"") || data.contains("\"kind\":\"RollbackDecided\""), data);
            assertTrue(data.contains("\"client\":\"" + CLIENT_A + "\""), data);
            synchronized (lines) {
                assertFalse(lines.stream().anyMatch(l -> l.contains(b) || l.contains(CLIENT_B)), "B's decisions reached A: " + lines);
            }
        }
    }
}
