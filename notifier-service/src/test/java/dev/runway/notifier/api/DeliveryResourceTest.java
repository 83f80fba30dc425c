package dev.runway.notifier.api;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.runway.events.Environment;
import dev.runway.notifier.support.Events;
import dev.runway.notifier.support.NotifierEndpointsResource;
import dev.runway.notifier.support.NotifierScenario;
import dev.runway.testsupport.BackboneTestResource;
import dev.runway.testsupport.Tokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;

/** {@code GET /deliveries}: filters, paging, problem+json on bad input, and no secret anywhere. */
@QuarkusTest
@QuarkusTestResource(value = BackboneTestResource.class, initArgs = @ResourceArg(name = "database", value = "runway_notifier_test"))
@QuarkusTestResource(NotifierEndpointsResource.class)
class DeliveryResourceTest extends NotifierScenario {

    private static final String SRE = Tokens.sre();

    private static final List<String> SECRETS = List.of(NotifierEndpointsResource.SLACK_TOKEN,
            NotifierEndpointsResource.AUDIT_URL_TOKEN, NotifierEndpointsResource.AUDIT_KEY,
            NotifierEndpointsResource.MANIFEST_KEY, NotifierEndpointsResource.SMTP_PASSWORD, "hook-token-S3CRET-0b5e");

    @Test
    void shouldFilterAndPageTheLog() {
        String id = newDeploymentId();
        Events events = new Events(id, Environment.PRODUCTION, "paging-app");
        lifecycle(events.started("v5.0.0"));
        lifecycle(events.succeeded("v5.0.0"));
        await("six deliveries").atMost(Duration.ofSeconds(20)).until(() -> deliveries(id),
                l -> l.size() == 6 && l.stream().allMatch(d -> "DELIVERED".equals(d.get("status"))));

        given().header("Authorization", SRE).queryParam("deploymentId", id).queryParam("size", 4).queryParam("page", 1)
                .when().get("/deliveries")
                .then().statusCode(200)
                .body("total", equalTo(6)).body("page", equalTo(1)).body("size", equalTo(4)).body("items", hasSize(2));
        given().header("Authorization", SRE).queryParam("deploymentId", id).queryParam("channel", "slack").queryParam("eventType", "DeploymentStarted")
                .when().get("/deliveries")
                .then().statusCode(200).body("total", equalTo(1)).body("items[0].endpoint", equalTo("slack:#deployments"));
        given().header("Authorization", SRE).queryParam("deploymentId", id).queryParam("status", "dead")
                .when().get("/deliveries").then().statusCode(200).body("total", equalTo(0));
    }

    @Test
    void shouldAnswerBadFiltersWithProblemJson() {
        given().header("Authorization", SRE).queryParam("status", "LOST").when().get("/deliveries")
                .then().statusCode(400).contentType("application/problem+json")
                .body("status", equalTo(400)).body("detail", containsString("unknown status 'LOST'"));
        given().header("Authorization", SRE).queryParam("size", 5000).when().get("/deliveries")
                .then().statusCode(400).contentType("application/problem+json");
        given().header("Authorization", SRE).queryParam("channel", "pigeon").when().get("/deliveries")
                .then().statusCode(400).contentType("application/problem+json");
        given().header("Authorization", SRE).queryParam("page", "x").when().get("/deliveries")
                .then().statusCode(400).contentType("application/problem+json").body("detail", containsString("page must be an integer"));
        given().header("Authorization", SRE).queryParam("limit", "lots").when().get("/deliveries/dead-letters")
                .then().statusCode(400).contentType("application/problem+json").body("detail", containsString("limit"));
    }

    @Test
    void shouldNeverReturnOrLogSecrets() throws Exception {
        String id = newDeploymentId();
        Events events = new Events(id, Environment.PRODUCTION, "secretive-app");
        // A manifest webhook whose URL carries a token and that always fails: its error is stored and logged.
        String leakyHook = endpoints.baseUrl() + "/hook/" + id + "/hook-token-S3CRET-0b5e/down?token=hook-token-S3CRET-0b5e";
        lifecycle(events.deployRequested("v6.0.0", Events.manifest("webhooks: [\"" + leakyHook + "\"]")));
        lifecycle(events.failed("v6.0.0", "broken"));
        await("the failing webhook dead-lettered").atMost(Duration.ofSeconds(30)).until(() -> deliveries(id, "DeploymentFailed"),
                l -> l.stream().anyMatch(d -> "DEAD".equals(d.get("status"))));

        String api = given().header("Authorization", SRE).queryParam("deploymentId", id).when().get("/deliveries").then().statusCode(200).extract().asString();
        String deadLetters = given().header("Authorization", SRE).queryParam("deploymentId", id).when().get("/deliveries/dead-letters")
                .then().statusCode(200).extract().asString();
        String log = Files.readString(Path.of("target/notifier-test.log"));
        assertThat(api, containsString("webhook:http://127.0.0.1:"));
        assertThat(log, containsString("dead letter: DeploymentFailed"));
        for (String secret : SECRETS) {
            assertThat("API leaks " + secret, api, not(containsString(secret)));
            assertThat("dead letters leak " + secret, deadLetters, not(containsString(secret)));
            assertThat("log leaks " + secret, log, not(containsString(secret)));
        }
        List<Map<String, Object>> rows = deliveries(id);
        assertThat(rows.stream().filter(d -> "SLACK".equals(d.get("channel"))).map(d -> d.get("endpoint")).distinct().toList(),
                equalTo(List.of("slack:#deployments")));
    }
}
