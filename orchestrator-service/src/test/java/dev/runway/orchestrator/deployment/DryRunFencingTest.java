package dev.runway.orchestrator.deployment;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.runway.events.DeploymentStarted;
import dev.runway.events.ShiftTraffic;
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

/**
 * Issue 15, item 8: dry runs are never fenced against real tokens. The orchestrator hands a dry run no
 * fencing token and lets it neither queue for nor take the project environment's lock: a dry run after
 * a real deployment, and one while a real deployment holds the lock, both end SUCCEEDED, and the next
 * real deployment's token follows the last real one. (The executor's side, which never compares a dry
 * run's token, is CommandHandlingTest in executor-service.)
 */
@QuarkusTest
@QuarkusTestResource(value = BackboneTestResource.class, initArgs = {
        @ResourceArg(name = "database", value = "runway_orchestrator_test"),
        @ResourceArg(name = "jdbc", value = "true"),
        @ResourceArg(name = "redis", value = "true") })
class DryRunFencingTest {

    private static final String DEPLOYER = Tokens.bearer("dana", "deployer");

    private Participants participants;

    @BeforeEach
    void listen() {
        participants = new Participants();
    }

    @AfterEach
    void close() {
        participants.close();
    }

    private static String post(String project, boolean dryRun) {
        Map<String, Object> body = new HashMap<>();
        body.put("project", project);
        body.put("version", "2.0.0");
        body.put("environment", "staging");
        body.put("manifest", Manifests.of(project, true, "strategy: blue-green"));
        body.put("dryRun", dryRun);
        return given().header("Authorization", DEPLOYER).contentType(ContentType.JSON).body(body)
                .when().post("/deployments").then().statusCode(202).extract().path("id");
    }

    private static JsonPath get(String id) {
        return given().header("Authorization", DEPLOYER).when().get("/deployments/" + id).then().statusCode(200).extract().jsonPath();
    }

    private static JsonPath awaitState(String id, String state) {
        return Waits.untilState(id, state, Duration.ofSeconds(30), () -> get(id));
    }

    /** Answers a dry run to its end: its watches are skipped, so promoting green is its last command. */
    private JsonPath dryRunToTheEnd(String id) {
        SpecificRecord promote = participants.answerUntil(id, "promote-green");
        participants.send(Participants.success(promote));
        return awaitState(id, "SUCCEEDED");
    }

    /** Every fencing token the orchestrator put on the deployment's executor commands. */
    private List<Long> commandTokens(String id) {
        return participants.records(id).stream().filter(Participants::isCommand)
                .filter(r -> r.getSchema().getField("fencingToken") != null)
                .map(r -> (Long) r.get(r.getSchema().getField("fencingToken").pos())).distinct().toList();
    }

    @Test
    void shouldEndADryRunAfterARealDeploymentSucceededWithoutTakingAToken() {
        String project = "dry" + UUID.randomUUID().toString().substring(0, 8);
        String real = post(project, false);
        participants.answerUntil(real, null);
        long token = awaitState(real, "SUCCEEDED").getLong("fencingToken");
        assertTrue(token > 0, "a real deployment holds a real token");

        // The seed's STALE_LOCK bug: the dry run after a real deployment must not be compared with its token.
        String dry = post(project, true);
        JsonPath done = dryRunToTheEnd(dry);
        assertNull(done.get("fencingToken"), "a dry run is handed no fencing token");
        assertEquals(List.of(0L), commandTokens(dry), "its commands carry no real token (0: none)");
        participants.records(dry).stream().filter(r -> r.getSchema().getField("dryRun") != null)
                .forEach(r -> assertEquals(true, r.get(r.getSchema().getField("dryRun").pos()), Participants.label(r)));
        assertTrue(participants.records(dry).stream().noneMatch(DeploymentStarted.class::isInstance), "a dry run starts nothing");

        // While a real deployment holds the lock, a dry run neither waits for it nor disturbs it.
        String holder = post(project, false);
        SpecificRecord deploy = participants.answerUntil(holder, "deploy-green");
        JsonPath holding = get(holder);
        assertEquals(token + 1, holding.getLong("fencingToken"), "the dry run took no token from the counter");
        String during = post(project, true);
        assertNull(dryRunToTheEnd(during).get("fencingToken"));
        given().header("Authorization", DEPLOYER).when().get("/projects/" + project + "/environments/staging").then()
                .statusCode(200).body("lock.deploymentId", equalTo(holder)).body("lock.fencingToken", equalTo((int) (token + 1)));
        participants.send(Participants.success(deploy));
        participants.answerUntil(holder, null);
        JsonPath finished = awaitState(holder, "SUCCEEDED");
        assertEquals(token + 1, finished.getLong("fencingToken"));
        assertEquals(List.of(token + 1), commandTokens(holder), "every command of the real deployment kept its token");
        assertTrue(participants.records(during).stream().filter(ShiftTraffic.class::isInstance)
                .allMatch(r -> ((ShiftTraffic) r).getDryRun()), "the dry run shifted no real traffic");
    }
}
