package dev.runway.orchestrator.decommission;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.runway.events.Decommission;
import dev.runway.events.DeployGreen;
import dev.runway.events.GreenDeployed;
import dev.runway.events.PromoteGreen;
import dev.runway.events.ReleaseEndpoint;
import dev.runway.orchestrator.support.Manifests;
import dev.runway.orchestrator.support.Participants;
import dev.runway.orchestrator.support.Waits;
import dev.runway.testsupport.Backbone;
import dev.runway.testsupport.BackboneTestResource;
import dev.runway.testsupport.Tokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;

/**
 * PromoteGreen and the keep/decommission schedule against the real Kafka, registry, Postgres and
 * Redis; the validator, executor and health-watcher are played by the test on the real broker.
 * Staging keeps a replaced release for 5 s here (24 h by default).
 */
@QuarkusTest
@TestProfile(DecommissionTest.ShortKeep.class)
@QuarkusTestResource(value = BackboneTestResource.class, initArgs = {
        @ResourceArg(name = "database", value = "runway_orchestrator_test"),
        @ResourceArg(name = "jdbc", value = "true"),
        @ResourceArg(name = "redis", value = "true") })
class DecommissionTest {

    static final Duration KEEP = Duration.ofSeconds(5);

    public static class ShortKeep implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("runway.environments.staging.keep-previous", KEEP.toSeconds() + "s",
                    "runway.decommission.every", "1s",
                    "runway.decommission.reply-timeout", "6s");
        }
    }

    private static final String DEPLOYER = Tokens.bearer("dana", "deployer");
    private static final String SRE = Tokens.bearer("sam", "sre");
    private static final Duration WAIT = Duration.ofSeconds(30);

    private Participants participants;

    @BeforeEach
    void listen() {
        participants = new Participants();
    }

    @AfterEach
    void close() {
        participants.close();
    }

    @Test
    void shouldPromoteThenDecommissionTheReplacedColourUnderTheLockOnceItsKeepPeriodIsOver() {
        String project = project();
        String id = deploy(project, "1.1.0");
        JsonPath done = get(id);
        long deploymentToken = done.getLong("fencingToken");
        PromoteGreen promote = (PromoteGreen) participants.records(id).stream().filter(PromoteGreen.class::isInstance).findFirst()
                .orElseThrow();
        assertEquals(deploymentToken, promote.getFencingToken());
        assertEquals("promote-green", promote.getStep());

        // Until its keep period is over the replaced colour is shown as the previous release.
        JsonPath kept = view(project);
        assertEquals("blue", kept.getString("previous.find { it.component == 'web' }.slot"));
        assertEquals(id, kept.getString("previous.find { it.component == 'web' }.replacedBy"));
        Instant keptUntil = Instant.parse(kept.getString("previous.find { it.component == 'web' }.keptUntil"));
        assertEquals(Instant.parse(done.getString("finishedAt")).plus(KEEP), keptUntil);

        Decommission decommission = participants.next(id, Decommission.class);
        assertEquals("blue", decommission.getSlot());
        assertEquals(Set.of("web", "api"), Set.copyOf(decommission.getComponents()));
        assertEquals("decommission", decommission.getStep());
        assertFalse(decommission.getDryRun());
        // (header times have milliseconds)
        assertFalse(decommission.getHeader().getOccurredAt().isBefore(keptUntil.truncatedTo(ChronoUnit.MILLIS)),
                "not before the keep period ended");
        // It took the project environment's lock like a deployment: a fresh, higher token, held until the reply.
        assertTrue(decommission.getFencingToken() > deploymentToken, decommission.getFencingToken() + " > " + deploymentToken);
        JsonPath inFlight = view(project);
        assertEquals("decommission-" + id, inFlight.getString("lock.deploymentId"));
        assertEquals(decommission.getFencingToken(), inFlight.getLong("lock.fencingToken"));
        assertEquals("SENT", inFlight.getString("previous.find { it.component == 'web' }.status"));

        participants.send(Participants.success(decommission));
        awaitAction(id, "decommissioned");
        List<String> actions = actions(id);
        assertTrue(actions.indexOf("release-kept") < actions.indexOf("decommission-sent")
                && actions.indexOf("decommission-sent") < actions.indexOf("decommissioned"), actions.toString());
        assertTrue(event(id, "decommissioned").contains("blue"), event(id, "decommissioned"));
        JsonPath after = view(project);
        assertEquals(List.of(), after.getList("previous"));
        assertNull(after.get("lock"), "the reply freed the lock");

        // The next deployment's token is above the Decommission's: the executor does not refuse it as stale.
        String next = post(project, "1.2.0");
        DeployGreen green = (DeployGreen) participants.answerUntil(next, "deploy-green");
        assertTrue(green.getFencingToken() > decommission.getFencingToken(),
                green.getFencingToken() + " > " + decommission.getFencingToken());
        participants.send(Participants.success(green));
        participants.answerUntil(next, null);
        awaitState(next, "SUCCEEDED");
    }

    @Test
    void shouldSkipTheDecommissionWhenTheProjectEnvironmentWasRolledBack() {
        String project = project();
        String first = post(project, "1.0.0");
        DeployGreen green = (DeployGreen) participants.answerUntil(first, "deploy-green");
        participants.send(firstRelease(green));
        participants.answerUntil(first, null);
        awaitState(first, "SUCCEEDED");
        assertFalse(actions(first).contains("release-kept"), "a first release replaced nothing");

        String second = deploy(project, "1.1.0");
        JsonPath kept = view(project);
        assertEquals("1.0.0", kept.getString("previous.find { it.component == 'web' }.version"));
        Instant keptUntil = Instant.parse(kept.getString("previous.find { it.component == 'web' }.keptUntil"));

        String back = given().header("Authorization", SRE).contentType(ContentType.JSON).body(Map.of("reason", "checkout errors"))
                .when().post("/projects/" + project + "/environments/staging/rollback").then().statusCode(202)
                .extract().path("id");
        // While the rollback has not reached the lock, the due release waits: it is not sent.
        Duration untilDue = Duration.between(Instant.now(), keptUntil).plusSeconds(1);
        assertEquals(List.of(), participants.commandsDuring(second, untilDue.isNegative() ? Duration.ZERO : untilDue));
        assertEquals("KEPT", view(project).getString("previous.find { it.replacedBy == '" + second + "' }.status"));

        participants.answerUntil(back, null);
        awaitState(back, "SUCCEEDED");
        awaitAction(second, "decommission-skipped");
        String skipped = event(second, "decommission-skipped");
        assertTrue(skipped.contains("rollback " + back), skipped);
        assertEquals(List.of(), participants.commandsDuring(second, Duration.ofSeconds(1)));
        assertTrue(participants.records(second).stream().noneMatch(Decommission.class::isInstance),
                "no Decommission for the skipped release");
        assertFalse(view(project).getList("previous.replacedBy").contains(second));
    }

    @Test
    void shouldRecordAnUnansweredDecommissionAsFailedAndFreeTheLock() {
        String project = project();
        String id = deploy(project, "1.1.0");
        Decommission decommission = participants.next(id, Decommission.class);
        awaitAction(id, "decommission-failed");
        assertTrue(event(id, "decommission-failed").contains("no reply"), event(id, "decommission-failed"));
        JsonPath after = view(project);
        assertNull(after.get("lock"), "the lock is freed at the reply deadline");
        assertEquals(List.of(), after.getList("previous"));

        // A late reply still counts: the colour is gone after all.
        participants.send(Participants.success(decommission));
        awaitAction(id, "decommissioned");
        assertTrue(event(id, "decommissioned").contains("after its reply deadline"), event(id, "decommissioned"));
    }

    @Test
    void shouldLeaveAReleaseAnotherInstanceClaimedAndGoOnWithTheNext() throws SQLException {
        String a = deploy(project(), "1.1.0");
        try (Connection other = DriverManager.getConnection(Backbone.get().jdbcPgUrl("runway_orchestrator_test"),
                Backbone.get().pgUser(), Backbone.get().pgPassword())) {
            // Another orchestrator instance holds a's row (as its own claim would) for as long as this transaction lasts.
            other.setAutoCommit(false);
            try (PreparedStatement claim = other.prepareStatement(
                    "select deployment_id from kept_release where deployment_id = ? for update")) {
                claim.setObject(1, UUID.fromString(a));
                claim.executeQuery().close();
            }
            String b = deploy(project(), "1.1.0");
            // b becomes due after a; a pass that waited on a's row would never reach b.
            Decommission forB = participants.next(b, Decommission.class);
            assertEquals(List.of(), participants.commandsDuring(a, Duration.ofSeconds(1)),
                    "a is left to the instance that claimed it");
            participants.send(Participants.success(forB));
            other.rollback();
        }
        participants.send(Participants.success(participants.next(a, Decommission.class)));
        awaitAction(a, "decommissioned");
        assertEquals(1, actions(a).stream().filter("decommission-sent"::equals).count(), "sent once");
    }

    // ---- helpers ---------------------------------------------------------------------------------

    static String project() {
        return "p" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** A blue-green deployment to staging, answered by the participants until it succeeds. */
    private String deploy(String project, String version) {
        String id = post(project, version);
        participants.answerUntil(id, null);
        awaitState(id, "SUCCEEDED");
        return id;
    }

    private static String post(String project, String version) {
        Map<String, Object> body = new HashMap<>();
        body.put("project", project);
        body.put("version", version);
        body.put("environment", "staging");
        body.put("manifest", Manifests.of(project, false, "strategy: blue-green"));
        return given().header("Authorization", DEPLOYER).contentType(ContentType.JSON).body(body)
                .when().post("/deployments").then().statusCode(202).extract().path("id");
    }

    /** The executor's answer for a project environment's first release: nothing served before it. */
    private static SpecificRecord firstRelease(DeployGreen command) {
        GreenDeployed usual = (GreenDeployed) Participants.success(command);
        List<ReleaseEndpoint> endpoints = usual.getEndpoints().stream()
                .map(e -> ReleaseEndpoint.newBuilder(e).setBaselineUrl(null).build()).toList();
        return GreenDeployed.newBuilder(usual).setSlot("blue").setEndpoints(endpoints).build();
    }

    private static JsonPath get(String id) {
        return given().header("Authorization", DEPLOYER).when().get("/deployments/" + id).then().statusCode(200).extract().jsonPath();
    }

    private static JsonPath view(String project) {
        return given().header("Authorization", DEPLOYER).when().get("/projects/" + project + "/environments/staging")
                .then().statusCode(200).extract().jsonPath();
    }

    private static void awaitState(String id, String state) {
        Waits.untilState(id, state, WAIT, () -> get(id));
    }

    /** Until the deployment's audit trail has an event of {@code action}. */
    private static void awaitAction(String id, String action) {
        Waits.await(action + " in the audit trail of " + id).atMost(WAIT).pollInterval(Duration.ofMillis(200))
                .untilAsserted(() -> assertTrue(actions(id).contains(action), actions(id).toString()));
    }

    private static List<String> actions(String id) {
        return get(id).getList("events.action");
    }

    /** The detail of the deployment's first audit event of {@code action}. */
    private static String event(String id, String action) {
        JsonPath d = get(id);
        return d.getString("events[" + d.getList("events.action").indexOf(action) + "].detail");
    }
}
