package dev.runway.notifier.delivery;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.empty;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.runway.events.DeploymentFailed;
import dev.runway.events.Environment;
import dev.runway.notifier.routing.Target;
import dev.runway.notifier.support.Events;
import dev.runway.notifier.support.NotifierEndpointsResource;
import dev.runway.notifier.support.NotifierScenario;
import dev.runway.notifier.support.TestEndpoints;
import dev.runway.testsupport.BackboneTestResource;
import dev.runway.testsupport.Tokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;

/**
 * Webhook targets a manifest names are called only where the outbound allowlist lets them: the cloud metadata
 * address, a private address and a loopback receiver the allowlist does not name are recorded as dead letters
 * with the reason, at once and without an attempt; the allowlisted loopback receiver is called.
 */
@QuarkusTest
@QuarkusTestResource(value = BackboneTestResource.class, initArgs = @ResourceArg(name = "database", value = "runway_notifier_test"))
@QuarkusTestResource(NotifierEndpointsResource.class)
class OutboundFetchTest extends NotifierScenario {

    private static final String NOT_ALLOWED = "which is not in runway.notifier.outbound.allow";

    @Test
    void shouldRefuseMetadataPrivateAndUnlistedLoopbackTargetsAndCallOnlyTheAllowlistedOne() throws Exception {
        TestEndpoints unlisted = new TestEndpoints(); // loopback too, on a port the allowlist does not name
        try {
            String id = newDeploymentId();
            Events events = new Events(id, Environment.PRODUCTION, "fetchy-app");
            String metadata = "http://169.254.169.254/latest/meta-data/iam/security-credentials/";
            String internal = "http://10.0.0.1/hook";
            String stranger = unlisted.baseUrl() + "/hook/" + id + "/ok";
            String listed = endpoints.baseUrl() + "/hook/" + id + "/ok";
            lifecycle(events.deployRequested("v1.0.0", Events.manifest("webhooks: [\"%s\", \"%s\", \"%s\", \"%s\"]"
                    .formatted(metadata, internal, stranger, listed))));
            DeploymentFailed failed = events.failed("v1.0.0", "broken");
            lifecycle(failed);

            List<Map<String, Object>> rows = await("every webhook delivery settled").atMost(Duration.ofSeconds(30))
                    .until(() -> deliveries(id, "DeploymentFailed").stream().filter(d -> "WEBHOOK".equals(d.get("channel"))).toList(),
                            l -> l.size() == 5 && l.stream().allMatch(d -> "DEAD".equals(d.get("status")) || "DELIVERED".equals(d.get("status"))));

            assertRefused(rows, metadata, "refused, not called: 169.254.169.254 is a cloud metadata address (port 80), " + NOT_ALLOWED);
            assertRefused(rows, internal, "refused, not called: 10.0.0.1 is a private address (port 80), " + NOT_ALLOWED);
            assertRefused(rows, stranger, "refused, not called: 127.0.0.1 is a loopback address (port " + unlisted.port() + "), "
                    + NOT_ALLOWED);
            assertThat("the unlisted receiver was called", unlisted.requests(r -> true), empty());

            Map<String, Object> called = row(rows, listed);
            assertEquals("DELIVERED", called.get("status"));
            assertEquals(1, endpoints.requests(r -> r.path().equals("/hook/" + id + "/ok") && r.body().contains("DeploymentFailed")).size());

            // The refusals are dead letters with their reason, like any delivery that could not be made.
            List<Map<String, Object>> dead = given().header("Authorization", Tokens.sre()).queryParam("deploymentId", id)
                    .when().get("/deliveries/dead-letters").then().statusCode(200).extract().jsonPath().getList("$");
            String failure = failed.getHeader().getEventId();
            assertEquals(3, dead.stream().filter(d -> failure.equals(d.get("eventId")))
                    .filter(d -> String.valueOf(d.get("reason")).startsWith("refused, not called")).count());
        } finally {
            unlisted.stop();
        }
    }

    private static void assertRefused(List<Map<String, Object>> rows, String url, String reason) {
        Map<String, Object> row = row(rows, url);
        assertEquals("DEAD", row.get("status"), url);
        assertEquals(0, row.get("attempts"), url + ": a refusal spends no attempt and is not retried");
        assertEquals(reason, row.get("lastError"));
    }

    private static Map<String, Object> row(List<Map<String, Object>> rows, String url) {
        String endpoint = Target.manifestWebhook(url).endpoint();
        return rows.stream().filter(d -> endpoint.equals(d.get("endpoint"))).findFirst()
                .orElseThrow(() -> new AssertionError("no delivery to " + endpoint + " in " + rows));
    }
}
