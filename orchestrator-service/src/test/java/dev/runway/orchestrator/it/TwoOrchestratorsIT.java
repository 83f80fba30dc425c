package dev.runway.orchestrator.it;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.extension.TestWatcher;

import dev.runway.orchestrator.support.Manifests;
import dev.runway.orchestrator.support.Participants;
import dev.runway.orchestrator.support.Waits;
import dev.runway.testsupport.Tokens;
import io.restassured.path.json.JsonPath;

/**
 * Two packaged orchestrators on one database, one consumer group and one Redis prefix (issue 17: every service runs
 * as N instances). Deployments are posted to either; Kafka's partition assignment splits the replies between them and
 * both outbox relays drain the same table, each claiming the deployments it publishes. Half-way one instance is killed
 * with SIGKILL: the other takes over its partitions and its unpublished rows. Every saga ends SUCCEEDED, every step is
 * commanded once, and each deployment's commands arrive in saga order. The participants are played by the test.
 */
class TwoOrchestratorsIT {

    private static final String DEPLOYER = Tokens.bearer("dana", "deployer");
    private static final List<String> BLUE_GREEN = List.of("validate", "deploy-green", "verify-green", "shift-traffic", "monitor",
            "promote-green");
    private static final int DEPLOYMENTS = 12;

    private final List<OrchestratorProcess> instances = new ArrayList<>();
    private Participants participants;

    @RegisterExtension
    final TestWatcher tails = new TestWatcher() {
        @Override
        public void testFailed(ExtensionContext context, Throwable cause) {
            instances.forEach(i -> System.err.println(i.tails()));
        }
    };

    @AfterEach
    void stop() {
        if (participants != null) {
            participants.close();
        }
        instances.forEach(OrchestratorProcess::close);
        if (!instances.isEmpty()) {
            instances.get(0).dropDatabase();
        }
    }

    @Test
    void twoInstancesShareTheWorkAndOneKilledLosesNothing() {
        String run = UUID.randomUUID().toString().substring(0, 8);
        OrchestratorProcess a = new OrchestratorProcess("two-a", run, Duration.ofSeconds(30));
        OrchestratorProcess b = new OrchestratorProcess("two-b", run, Duration.ofSeconds(30));
        instances.add(a);
        instances.add(b);
        a.createDatabase();
        a.commitGroupAtEnd();
        participants = new Participants();
        a.start(Map.of());
        b.start(Map.of());

        List<String> ids = new ArrayList<>();
        for (int i = 0; i < DEPLOYMENTS; i++) {
            String project = "two" + UUID.randomUUID().toString().substring(0, 8);
            ids.add((i % 2 == 0 ? a : b).post(project, Manifests.of(project, false, "strategy: blue-green")));
        }
        for (int i = 0; i < DEPLOYMENTS; i++) {
            if (i == DEPLOYMENTS / 2) {
                a.kill(); // mid-way: its partitions, sagas and unpublished outbox rows are b's now
            }
            participants.answerUntil(ids.get(i), null);
        }

        for (String id : ids) {
            JsonPath done = Waits.untilState(id, "SUCCEEDED", Duration.ofSeconds(90), () -> get(b, id));
            assertTrue(done.getList("steps.status").stream().allMatch("COMPLETED"::equals), done.prettify());
            Map<String, Set<String>> commands = participants.commandEventIds(id);
            assertEquals(BLUE_GREEN, List.copyOf(commands.keySet()), id + ": every step commanded, in saga order");
            commands.forEach((step, eventIds) -> assertEquals(1, eventIds.size(),
                    id + ": " + step + " commanded more than once (distinct event ids " + eventIds + ")"));
        }
    }

    private static JsonPath get(OrchestratorProcess instance, String id) {
        return given().baseUri(instance.baseUrl()).header("Authorization", DEPLOYER).when().get("/deployments/" + id)
                .then().statusCode(200).extract().jsonPath();
    }
}
