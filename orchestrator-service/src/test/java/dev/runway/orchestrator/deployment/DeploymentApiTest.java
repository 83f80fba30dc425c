package dev.runway.orchestrator.deployment;

import static dev.runway.orchestrator.deployment.DeploymentSagaTest.awaitState;
import static dev.runway.orchestrator.deployment.DeploymentSagaTest.body;
import static dev.runway.orchestrator.deployment.DeploymentSagaTest.project;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.runway.events.ApprovalGranted;
import dev.runway.events.ApprovalRequested;
import dev.runway.events.DeployRequested;
import dev.runway.events.DeploymentStarted;
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

/** People and the API: approvals, windows, idempotency, the environment queue. Real backbone. */
@QuarkusTest
@QuarkusTestResource(value = BackboneTestResource.class, initArgs = {
        @ResourceArg(name = "database", value = "runway_orchestrator_test"),
        @ResourceArg(name = "jdbc", value = "true"),
        @ResourceArg(name = "redis", value = "true") })
class DeploymentApiTest {

    private static final String DANA = Tokens.bearer("dana", "deployer", "approver");
    private static final String ALICE = Tokens.bearer("alice", "approver");
    private static final String BOB = Tokens.bearer("bob", "approver");
    private static final String SAM = Tokens.bearer("sam", "sre");

    private Participants participants;

    @BeforeEach
    void listen() {
        participants = new Participants();
    }

    @AfterEach
    void close() {
        participants.close();
    }

    private static Response post(String token, Map<String, Object> body, String idempotencyKey) {
        var request = given().header("Authorization", token).contentType(ContentType.JSON).body(body);
        if (idempotencyKey != null) {
            request = request.header("Idempotency-Key", idempotencyKey);
        }
        return request.when().post("/deployments");
    }

    private static Response act(String token, String id, String action, Map<String, Object> note) {
        return given().header("Authorization", token).contentType(ContentType.JSON).body(note)
                .when().post("/deployments/" + id + "/" + action);
    }

    @Test
    void shouldNeedTwoDistinctApproversNeitherTheRequesterForProduction() {
        String project = project();
        String id = post(DANA, body(project, "production", Manifests.of(project, false, "strategy: blue-green")), null)
                .then().statusCode(202).extract().path("id");
        participants.send(Participants.success(participants.next(id, DeployRequested.class)));
        ApprovalRequested asked = participants.next(id, ApprovalRequested.class);
        assertEquals(2, asked.getRequiredApprovals());
        assertEquals("dana", asked.getRequestedBy());
        awaitState(id, "AWAITING_APPROVAL");

        act(DANA, id, "approvals", Map.of("comment", "mine")).then().statusCode(403).contentType("application/problem+json")
                .body("detail", containsString("requester cannot approve"));
        act(ALICE, id, "approvals", Map.of("comment", "lgtm")).then().statusCode(200)
                .body("state", equalTo("AWAITING_APPROVAL")).body("approvals.given", equalTo(List.of("alice")));
        act(ALICE, id, "approvals", Map.of()).then().statusCode(409).body("detail", containsString("distinct identities"));
        assertEquals(1, participants.next(id, ApprovalGranted.class).getApprovalsGiven());
        act(BOB, id, "approvals", Map.of("comment", "ok")).then().statusCode(200);
        assertEquals(2, participants.next(id, ApprovalGranted.class).getApprovalsGiven());

        participants.answerUntil(id, null);
        JsonPath done = awaitState(id, "SUCCEEDED");
        assertTrue(done.getList("events.actor").containsAll(List.of("alice", "bob", "dana")), "the audit log names who acted");
    }

    @Test
    void shouldWaitOutsideTheWindowUntilAnAuditedOverride() {
        String project = project();
        DayOfWeek today = LocalDate.now(ZoneOffset.UTC).getDayOfWeek();
        String otherDays = Arrays.stream(DayOfWeek.values()).filter(d -> d != today)
                .map(d -> d.name().substring(0, 3).toLowerCase(Locale.ROOT)).collect(Collectors.joining(", "));
        String window = "window:\n  staging:\n    days: [" + otherDays + "]\n    start: \"00:00\"\n    end: \"23:59\"\n";
        String id = post(DANA, body(project, "staging", Manifests.of(project, false, "strategy: blue-green\n" + window)), null)
                .then().statusCode(202).extract().path("id");
        participants.send(Participants.success(participants.next(id, DeployRequested.class)));
        awaitState(id, "AWAITING_WINDOW");
        Waits.await("a closed window holding " + id).during(Duration.ofMillis(1500)).atMost(Duration.ofSeconds(10))
                .until(() -> DeploymentSagaTest.get(id).getString("state"), equalTo("AWAITING_WINDOW"));
        assertEquals("AWAITING_WINDOW", DeploymentSagaTest.get(id).getString("state"), "a closed window holds the deployment");

        act(SAM, id, "window-override", Map.of()).then().statusCode(400).contentType("application/problem+json")
                .body("errors.field", hasItem("reason"));
        act(DANA, id, "window-override", Map.of("reason", "x")).then().statusCode(403);
        act(SAM, id, "window-override", Map.of("reason", "hotfix for checkout outage")).then().statusCode(200);
        participants.answerUntil(id, null);
        JsonPath done = awaitState(id, "SUCCEEDED");
        int at = done.getList("events.action").indexOf("window-override");
        assertTrue(at >= 0);
        assertEquals("sam", done.getString("events[" + at + "].actor"));
        assertEquals("hotfix for checkout outage", done.getString("events[" + at + "].detail"));
    }

    @Test
    void shouldReturnTheSameDeploymentForTheSameKeyAndRefuseAnotherBody() {
        String project = project();
        Map<String, Object> body = body(project, "staging", Manifests.of(project, false, null));
        String key = "key-" + project;
        String id = post(DANA, body, key).then().statusCode(202).header("Idempotent-Replayed", "false")
                .extract().path("id");
        post(DANA, body, key).then().statusCode(202).header("Idempotent-Replayed", "true")
                .header("Location", containsString("/deployments/" + id)).body("id", equalTo(id));
        Map<String, Object> other = new HashMap<>(body);
        other.put("version", "9.9.9");
        post(DANA, other, key).then().statusCode(409).contentType("application/problem+json")
                .body("detail", containsString("Idempotency-Key"));
        given().header("Authorization", DANA).queryParam("project", project).when().get("/deployments")
                .then().statusCode(200).body("total", equalTo(1)).body("items[0].id", equalTo(id));
        act(DANA, id, "cancel", Map.of("reason", "test over")).then().statusCode(200);
        awaitState(id, "CANCELLED");
    }

    @Test
    void shouldQueueASecondDeploymentToABusyProjectEnvironmentAndStartItAfter() {
        // One project environment (project, environment) stays serial: the second deployment of the same project waits.
        String project = project();
        String a = post(DANA, body(project, "development", Manifests.of(project, false, "strategy: blue-green")), null)
                .then().statusCode(202).extract().path("id");
        participants.answerUntil(a, "deploy-green").toString();
        long tokenA = participants.next(a, DeploymentStarted.class).getFencingToken();

        String b = post(DANA, body(project, "development", Manifests.of(project, false, "strategy: blue-green")), null)
                .then().statusCode(202).extract().path("id");
        participants.send(Participants.success(participants.next(b, DeployRequested.class)));
        awaitState(b, "QUEUED");
        given().header("Authorization", DANA).when().get("/projects/" + project + "/environments/development").then().statusCode(200)
                .body("lock.deploymentId", equalTo(a)).body("queue.id", hasItem(b));
        given().header("Authorization", DANA).when().get("/environments/development").then().statusCode(200)
                .body("projects.find { it.project == '" + project + "' }.lock.deploymentId", equalTo(a))
                .body("projects.find { it.project == '" + project + "' }.queue.id", hasItem(b));
        assertEquals(List.of(), participants.commandsDuring(b, Duration.ofSeconds(1)), "b waits, it is not rejected");

        participants.send(Participants.success(participants.records(a).stream()
                .filter(r -> "deploy-green".equals(Participants.step(r)) && Participants.isCommand(r)).findFirst().orElseThrow()));
        participants.answerUntil(a, null);
        awaitState(a, "SUCCEEDED");
        long tokenB = participants.next(b, DeploymentStarted.class).getFencingToken();
        assertTrue(tokenB > tokenA, "fencing tokens only grow: " + tokenA + " then " + tokenB);
        participants.answerUntil(b, null);
        awaitState(b, "SUCCEEDED");
        given().header("Authorization", DANA).when().get("/projects/" + project + "/environments/development").then().statusCode(200)
                .body("live.find { it.component == 'api' }.version", equalTo("1.4.2"))
                .body("live.find { it.component == 'api' }.deploymentId", equalTo(b));
    }

    @Test
    void shouldRefuseCancelOnceTrafficMoved() {
        String project = project();
        String id = post(DANA, body(project, "staging", Manifests.of(project, false, "strategy: blue-green")), null)
                .then().statusCode(202).extract().path("id");
        var monitor = participants.answerUntil(id, "monitor");
        act(DANA, id, "cancel", Map.of()).then().statusCode(409).contentType("application/problem+json")
                .body("detail", containsString("roll back instead"));
        participants.send(Participants.success(monitor));
        participants.answerUntil(id, null);
        awaitState(id, "SUCCEEDED");
        act(SAM, id, "rollback", Map.of()).then().statusCode(409).body("detail", containsString("/environments/"));
    }

    @Test
    void shouldRollAnEnvironmentBackToThePreviousVersion() {
        String project = project();
        for (String version : List.of("2.0.0", "2.1.0")) {
            Map<String, Object> body = body(project, "uat", Manifests.of(project, false, "strategy: blue-green"));
            body.put("version", version);
            String id = post(DANA, body, null).then().statusCode(202).extract().path("id");
            participants.send(Participants.success(participants.next(id, DeployRequested.class)));
            awaitState(id, "AWAITING_APPROVAL");
            act(ALICE, id, "approvals", Map.of()).then().statusCode(200);
            participants.answerUntil(id, null);
            awaitState(id, "SUCCEEDED");
        }
        given().header("Authorization", SAM).contentType(ContentType.JSON).body(Map.of("reason", "p0"))
                .queryParam("project", project).when().post("/environments/uat/rollback").then().statusCode(410)
                .contentType("application/problem+json").body("detail", containsString("/projects/{project}/environments/uat/rollback"));
        String back = given().header("Authorization", SAM).contentType(ContentType.JSON).body(Map.of("reason", "p0"))
                .when().post("/projects/" + project + "/environments/uat/rollback").then().statusCode(202).body("version", equalTo("2.0.0"))
                .extract().path("id");
        participants.answerUntil(back, null);
        awaitState(back, "SUCCEEDED");
        given().header("Authorization", SAM).when().get("/projects/" + project + "/environments/uat").then().statusCode(200)
                .body("live.find { it.component == 'web' }.version", equalTo("2.0.0"));
        given().header("Authorization", SAM).contentType(ContentType.JSON).body(Map.of())
                .when().post("/projects/no-such-project/environments/uat/rollback").then().statusCode(404)
                .contentType("application/problem+json").body("detail", containsString("no-such-project"));
    }

    @Test
    void shouldReportDoraPerEnvironment() {
        given().header("Authorization", Tokens.bearer("vic", "viewer")).queryParam("environment", "staging")
                .when().get("/metrics/dora").then().statusCode(200)
                .body("[0].environment", equalTo("staging")).body("[0].days", equalTo(30));
        given().header("Authorization", Tokens.bearer("prometheus", "metrics")).when().get("/q/metrics").then().statusCode(200)
                .body(containsString("runway_dora_change_failure_rate_percent"));
    }
}
