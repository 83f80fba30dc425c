package dev.runway.orchestrator.tenancy;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.runway.events.DeployGreen;
import dev.runway.events.DeployRequested;
import dev.runway.events.DeploymentStarted;
import dev.runway.events.DeploymentSucceeded;
import dev.runway.events.Envelopes;
import dev.runway.orchestrator.support.Manifests;
import dev.runway.orchestrator.support.Participants;
import dev.runway.orchestrator.support.Waits;
import dev.runway.testsupport.BackboneTestResource;
import dev.runway.testsupport.Tokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;

/**
 * Many clients, many projects, one Runway (issue 13): the project environment is what is locked, and a
 * token works only for the projects its runway_projects claim names. Real backbone; participants played
 * by the test.
 */
@QuarkusTest
@QuarkusTestResource(value = BackboneTestResource.class, initArgs = {
        @ResourceArg(name = "database", value = "runway_orchestrator_test"),
        @ResourceArg(name = "jdbc", value = "true"),
        @ResourceArg(name = "redis", value = "true") })
class TenancyTest {

    private static final String PROBLEM = "application/problem+json";
    private static final String[] ALL_ROLES = {"deployer", "approver", "sre", "viewer"};
    /** Agency-wide: runway_projects ["*"]. */
    private static final String AGENCY = Tokens.bearer("sam", ALL_ROLES);

    private Participants participants;

    @BeforeEach
    void listen() {
        participants = new Participants();
    }

    @AfterEach
    void close() {
        participants.close();
    }

    private static String name(String prefix) {
        return prefix + UUID.randomUUID().toString().substring(0, 8);
    }

    private static Map<String, Object> body(String project, String client, String environment) {
        Map<String, Object> body = new HashMap<>();
        body.put("project", project);
        body.put("version", "1.4.2");
        body.put("environment", environment);
        body.put("manifest", Manifests.of(project, client, false, "strategy: blue-green"));
        return body;
    }

    private static Response post(String token, Map<String, Object> body) {
        return given().header("Authorization", token).contentType(ContentType.JSON).body(body).when().post("/deployments");
    }

    private static JsonPath awaitState(String id, String state) {
        return Waits.untilState(id, state, Duration.ofSeconds(30), () -> given().header("Authorization", AGENCY)
                .when().get("/deployments/" + id).then().statusCode(200).extract().jsonPath());
    }

    @Test
    void shouldRunTwoProjectsOnOneEnvironmentAtTheSameTimeEachWithItsOwnLockAndToken() {
        String clientA = name("ca");
        String clientB = name("cb");
        String projectA = name("pa");
        String projectB = name("pb");
        Map<String, Object> bodyA = body(projectA, clientA, "staging");
        bodyA.put("repository", Map.of("url", "https://git.example.com/" + projectA + ".git", "commit", "0123456789abcdef0123",
                "ref", "refs/heads/main"));
        String a = post(AGENCY, bodyA).then().statusCode(202).body("client", equalTo(clientA)).extract().path("id");
        String b = post(AGENCY, body(projectB, clientB, "staging")).then().statusCode(202).extract().path("id");

        // Both sagas are between their lock and their end at the same time: neither waits for the other.
        DeployGreen greenA = (DeployGreen) participants.answerUntil(a, "deploy-green");
        DeployGreen greenB = (DeployGreen) participants.answerUntil(b, "deploy-green");
        DeploymentStarted startedA = participants.next(a, DeploymentStarted.class);
        DeploymentStarted startedB = participants.next(b, DeploymentStarted.class);
        assertEquals(1, startedA.getFencingToken(), "fresh project environment: first token");
        assertEquals(1, startedB.getFencingToken(), "another project's counter is its own");
        given().header("Authorization", AGENCY).when().get("/projects/" + projectA + "/environments/staging").then()
                .statusCode(200).body("client", equalTo(clientA)).body("lock.deploymentId", equalTo(a))
                .body("lock.fencingToken", equalTo(1));
        given().header("Authorization", AGENCY).when().get("/projects/" + projectB + "/environments/staging").then()
                .statusCode(200).body("lock.deploymentId", equalTo(b)).body("lock.fencingToken", equalTo(1));
        given().header("Authorization", AGENCY).when().get("/environments/staging").then().statusCode(200)
                .body("projects.find { it.project == '" + projectA + "' }.lock.deploymentId", equalTo(a))
                .body("projects.find { it.project == '" + projectB + "' }.lock.deploymentId", equalTo(b));

        // The executor learns the client, and runs A's release from a checkout of A's own commit.
        assertEquals(clientA, greenA.getHeader().getClient());
        assertEquals(clientB, greenB.getHeader().getClient());
        assertEquals("0123456789abcdef0123", greenA.getRepository().getCommit());
        assertEquals("https://git.example.com/" + projectA + ".git", greenA.getRepository().getUrl());
        assertEquals(null, greenB.getRepository(), "B was requested with a manifest only");

        participants.send(Participants.success(greenB));
        participants.send(Participants.success(greenA));
        participants.answerUntil(b, null);
        participants.answerUntil(a, null);
        awaitState(a, "SUCCEEDED");
        awaitState(b, "SUCCEEDED");
        DeploymentSucceeded succeededA = participants.next(a, DeploymentSucceeded.class);
        DeploymentSucceeded succeededB = participants.next(b, DeploymentSucceeded.class);
        // The two sagas overlap in time: each started before the other ended.
        assertTrue(startedA.getHeader().getOccurredAt().isBefore(succeededB.getHeader().getOccurredAt()));
        assertTrue(startedB.getHeader().getOccurredAt().isBefore(succeededA.getHeader().getOccurredAt()));
        participants.records(a).forEach(r -> assertEquals(clientA, Envelopes.headerOf(r).getClient(), Participants.label(r)));

        // Each project environment keeps its own live versions, with its own front per component.
        given().header("Authorization", AGENCY).when().get("/projects/" + projectA + "/environments/staging").then()
                .statusCode(200).body("live.find { it.component == 'web' }.deploymentId", equalTo(a))
                .body("live.find { it.component == 'web' }.front", equalTo("http://" + projectA + "-staging.front.test/web"))
                .body("lock", nullValue());
        given().header("Authorization", AGENCY).when().get("/projects/" + projectB + "/environments/staging").then()
                .statusCode(200).body("live.find { it.component == 'web' }.deploymentId", equalTo(b))
                .body("live.find { it.component == 'api' }.front", equalTo("http://" + projectB + "-staging.front.test/api"));

        // The board: both projects live, each under its client, with the last outcome.
        JsonPath board = given().header("Authorization", AGENCY).when().get("/projects").then().statusCode(200)
                .extract().jsonPath();
        String envOfA = "clients.find { it.client == '" + clientA + "' }.projects.find { it.project == '" + projectA
                + "' }.environments.find { it.environment == 'staging' }";
        assertEquals("SUCCEEDED", board.getString(envOfA + ".lastOutcome.state"));
        assertEquals(a, board.getString(envOfA + ".lastOutcome.deploymentId"));
        assertEquals("1.4.2", board.getString(envOfA + ".live.find { it.component == 'web' }.version"));
        assertEquals("http://" + projectA + "-staging.front.test/web", board.getString(envOfA + ".live.find { it.component == 'web' }.front"));
        assertEquals(b, board.getString("clients.find { it.client == '" + clientB + "' }.projects.find { it.project == '"
                + projectB + "' }.environments.find { it.environment == 'staging' }.lastOutcome.deploymentId"));

        // DORA counts only what the caller may see, and filters by client or project.
        String tokenA = Tokens.scoped("alice", List.of(clientA + "/*"), "viewer");
        given().header("Authorization", tokenA).queryParam("environment", "staging").when().get("/metrics/dora").then()
                .statusCode(200).body("[0].deployments", equalTo(1));
        given().header("Authorization", AGENCY).queryParam("environment", "staging").queryParam("client", clientB)
                .when().get("/metrics/dora").then().statusCode(200).body("[0].deployments", equalTo(1));
        given().header("Authorization", AGENCY).queryParam("environment", "staging").queryParam("project", projectA)
                .when().get("/metrics/dora").then().statusCode(200).body("[0].deployments", equalTo(1));
        given().header("Authorization", AGENCY).queryParam("environment", "staging").when().get("/metrics/dora").then()
                .statusCode(200).body("[0].deployments", greaterThanOrEqualTo(2));
    }

    @Test
    void shouldRefuseEveryEndpointOfAnotherClientsProjectAndHideItFromLists() {
        String clientA = name("ca");
        String clientB = name("cb");
        String projectA = name("pa");
        String projectB = name("pb");
        String tokenA = Tokens.scoped("alice", List.of(clientA + "/*"), ALL_ROLES);
        // A production deployment of B waits for approval: a running saga every action could touch.
        String b = post(AGENCY, body(projectB, clientB, "production")).then().statusCode(202).extract().path("id");
        participants.send(Participants.success(participants.next(b, DeployRequested.class)));
        awaitState(b, "AWAITING_APPROVAL");
        String a = post(tokenA, body(projectA, clientA, "production")).then().statusCode(202).extract().path("id");
        participants.send(Participants.success(participants.next(a, DeployRequested.class)));
        awaitState(a, "AWAITING_APPROVAL");

        Map<String, Object> note = Map.of("reason", "not yours");
        refused(given().header("Authorization", tokenA).when().get("/deployments/" + b), projectB);
        refused(given().header("Authorization", tokenA).contentType(ContentType.JSON).body(note)
                .when().post("/deployments/" + b + "/approvals"), projectB);
        refused(given().header("Authorization", tokenA).contentType(ContentType.JSON).body(note)
                .when().post("/deployments/" + b + "/cancel"), projectB);
        refused(given().header("Authorization", tokenA).contentType(ContentType.JSON).body(note)
                .when().post("/deployments/" + b + "/rollback"), projectB);
        refused(given().header("Authorization", tokenA).contentType(ContentType.JSON).body(note)
                .when().post("/deployments/" + b + "/window-override"), projectB);
        refused(given().header("Authorization", tokenA).when().get("/projects/" + projectB + "/environments/production"), projectB);
        refused(given().header("Authorization", tokenA).contentType(ContentType.JSON).body(note)
                .when().post("/projects/" + projectB + "/environments/production/rollback"), projectB);
        refused(given().header("Authorization", tokenA).queryParam("project", projectB).when().get("/metrics/dora"), projectB);
        refused(given().header("Authorization", tokenA).queryParam("client", clientB).when().get("/metrics/dora"), clientB);
        // Deploying B with A's token: refused once the manifest says whose project it is.
        refused(post(tokenA, body(projectB, clientB, "staging")), projectB);
        // B's project registered under B: a manifest claiming it for A's client is a conflict, not a takeover.
        post(tokenA, body(projectB, clientA, "staging")).then().statusCode(409).contentType(PROBLEM)
                .body("detail", containsString(clientB));

        // Lists never show B to A (filtered in the query: the total counts only what A may see).
        given().header("Authorization", tokenA).queryParam("size", 200).when().get("/deployments").then().statusCode(200)
                .body("items.id", hasItem(a)).body("items.id", not(hasItem(b)))
                .body("items.project", not(hasItem(projectB)));
        given().header("Authorization", tokenA).queryParam("project", projectB).when().get("/deployments").then()
                .statusCode(200).body("total", equalTo(0));
        given().header("Authorization", tokenA).when().get("/projects").then().statusCode(200)
                .body("clients.projects.flatten().project", hasItem(projectA))
                .body("clients.projects.flatten().project", not(hasItem(projectB)))
                .body("clients.client", not(hasItem(clientB)));
        given().header("Authorization", tokenA).when().get("/environments/production").then().statusCode(200)
                .body("projects.project", hasItem(projectA)).body("projects.project", not(hasItem(projectB)));
        given().header("Authorization", tokenA).queryParam("project", projectA).when().get("/metrics/dora").then()
                .statusCode(200);

        // A token naming B's project sees it; a token without the claim sees nothing and may do nothing.
        String tokenB = Tokens.scoped("bob", List.of(clientB + "/" + projectB), ALL_ROLES);
        given().header("Authorization", tokenB).when().get("/deployments/" + b).then().statusCode(200)
                .body("client", equalTo(clientB));
        given().header("Authorization", tokenB).queryParam("size", 200).when().get("/deployments").then().statusCode(200)
                .body("items.id", hasItem(b)).body("items.id", not(hasItem(a)));
        String none = Tokens.unscoped("nobody", ALL_ROLES);
        given().header("Authorization", none).when().get("/deployments").then().statusCode(200).body("total", equalTo(0));
        refused(given().header("Authorization", none).when().get("/deployments/" + a), projectA);
        given().header("Authorization", none).when().get("/projects").then().statusCode(200).body("clients.size()", equalTo(0));

        // Unknown projects: 404 problems, never a 500.
        given().header("Authorization", tokenA).when().get("/projects/no-such-project/environments/staging").then()
                .statusCode(404).contentType(PROBLEM).body("detail", containsString("no-such-project"));
        given().header("Authorization", tokenA).queryParam("project", "no-such-project").when().get("/metrics/dora").then()
                .statusCode(404).contentType(PROBLEM);

        given().header("Authorization", AGENCY).contentType(ContentType.JSON).body(Map.of("reason", "test over"))
                .when().post("/deployments/" + b + "/cancel").then().statusCode(200);
        given().header("Authorization", tokenA).contentType(ContentType.JSON).body(Map.of("reason", "test over"))
                .when().post("/deployments/" + a + "/cancel").then().statusCode(200);
        awaitState(a, "CANCELLED");
        awaitState(b, "CANCELLED");
    }

    private static void refused(Response response, String named) {
        response.then().statusCode(403).contentType(PROBLEM).body("detail", containsString(named));
    }

    @Test
    void shouldRefuseAProjectWhoseSafeNameIsAnotherProjectsOrThatBelongsToAnotherClient() {
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        String first = "my-shop-" + suffix;
        String id = post(AGENCY, body(first, "acme", "staging")).then().statusCode(202).extract().path("id");
        // Without a manifest the request names the project; "my_shop-…" is "my-shop-…" once made safe.
        Map<String, Object> twin = new HashMap<>();
        twin.put("project", "my_shop-" + suffix);
        twin.put("version", "1.0.0");
        twin.put("environment", "staging");
        twin.put("components", List.of("web"));
        twin.put("repository", Map.of("url", "https://git.example.com/twin.git", "commit", "abcdef1"));
        post(AGENCY, twin).then().statusCode(409).contentType(PROBLEM)
                .body("detail", containsString("'" + first + "'")).body("errors[0].field", equalTo("project"));
        post(AGENCY, body(first, "globex", "staging")).then().statusCode(409).contentType(PROBLEM)
                .body("detail", containsString("belongs to client 'acme'"));
        // A name that has nothing left once made safe, or is too long for a namespace, is a 400 naming the field.
        twin.put("project", "a".repeat(41));
        post(AGENCY, twin).then().statusCode(400).contentType(PROBLEM).body("errors[0].field", equalTo("project"));
        given().header("Authorization", AGENCY).contentType(ContentType.JSON).body(Map.of("reason", "test over"))
                .when().post("/deployments/" + id + "/cancel").then().statusCode(200);
        awaitState(id, "CANCELLED");
        assertFalse(given().header("Authorization", AGENCY).when().get("/projects").then().statusCode(200).extract()
                .jsonPath().getList("clients.projects.flatten().project").contains("my_shop-" + suffix));
    }
}
