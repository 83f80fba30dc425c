package dev.runway.notifier;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import com.icegreen.greenmail.util.GreenMailUtil;

import dev.runway.events.DeployRequested;
import dev.runway.events.Environment;
import dev.runway.events.RepositoryRef;
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
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * A repository URL with a token in it, a failure reason quoting that URL and a receiver that answers with
 * credentials: the token and the answer's credentials appear in nothing the notifier sends (Slack, e-mail,
 * webhooks), stores (deliveries, dead letters), shows (API) or logs.
 */
@QuarkusTest
@QuarkusTestResource(value = BackboneTestResource.class, initArgs = @ResourceArg(name = "database", value = "runway_notifier_test"))
@QuarkusTestResource(NotifierEndpointsResource.class)
class NoCredentialsTravelTest extends NotifierScenario {

    private static final String TOKEN = "ghs-TOKEN-S3CRET-4b8c2d";
    private static final String REPOSITORY = "https://deployer:" + TOKEN + "@git.example.com/acme/shop.git";

    @Inject
    Pool pool;

    @Test
    void shouldKeepATokenOutOfEverythingSentStoredShownAndLogged() throws Exception {
        String id = newDeploymentId();
        Events events = new Events(id, Environment.PRODUCTION, "token-app", "acme");
        String hook = endpoints.baseUrl() + "/hook/" + id + "/ok";
        String leaky = endpoints.baseUrl() + "/hook/" + id + "/leaky";
        DeployRequested requested = DeployRequested.newBuilder(events.deployRequested("v1.0.0",
                        Events.manifest("webhooks: [\"%s\", \"%s\"]".formatted(hook, leaky))))
                .setRepository(RepositoryRef.newBuilder().setUrl(REPOSITORY).setCommit("0123456789abcdef0123456789abcdef01234567")
                        .setRef("main").build())
                .setScanReport("{\"vulnerabilities\": {}, \"registry_token\": \"" + TOKEN + "\"}")
                .build();
        lifecycle(requested);
        lifecycle(events.failed("v1.0.0", "clone of " + REPOSITORY + " failed (Authorization: Bearer " + TOKEN + ")"));

        await("both events delivered everywhere but to the leaky receiver").atMost(Duration.ofSeconds(30))
                .until(() -> deliveries(id), l -> l.size() == 10 && l.stream().allMatch(d -> "DELIVERED".equals(d.get("status"))
                        || "DEAD".equals(d.get("status"))));

        // Sent: every request the receivers got about this deployment, and the e-mails.
        List<TestEndpoints.Request> sent = endpoints.requests(r -> r.body().contains(id));
        assertEquals(8, sent.size(), "Slack, audit and two manifest webhooks, for two events");
        List<String> texts = new ArrayList<>();
        sent.forEach(r -> {
            texts.add(r.body());
            texts.add(r.headers().toString());
        });
        Arrays.stream(greenMail.getReceivedMessages()).map(GreenMailUtil::getWholeMessage).filter(m -> m.contains(id)).forEach(texts::add);
        TestEndpoints.Request failure = sent.stream()
                .filter(r -> r.path().equals("/hook/" + id + "/ok") && r.body().contains("DeploymentFailed")).findFirst().orElseThrow();
        assertThat(failure.body(), containsString("clone of https://***@git.example.com/acme/shop.git failed (Authorization: Bearer ***)"));

        // Stored: the payloads and errors of the deliveries and dead letters.
        pool.preparedQuery("SELECT subject, payload, last_error FROM deliveries WHERE deployment_id = $1").execute(Tuple.of(id))
                .await().atMost(Duration.ofSeconds(10)).forEach(row -> addAll(texts, row, "subject", "payload", "last_error"));
        pool.preparedQuery("SELECT payload, reason FROM dead_letters WHERE deployment_id = $1").execute(Tuple.of(id))
                .await().atMost(Duration.ofSeconds(10)).forEach(row -> addAll(texts, row, "payload", "reason"));

        // Shown and logged.
        texts.add(given().header("Authorization", Tokens.sre()).queryParam("deploymentId", id).when().get("/deliveries")
                .then().statusCode(200).extract().asString());
        texts.add(given().header("Authorization", Tokens.sre()).queryParam("deploymentId", id).when().get("/deliveries/dead-letters")
                .then().statusCode(200).extract().asString());
        texts.add(Files.readString(Path.of("target/notifier-test.log")));

        for (String text : texts) {
            assertThat(text, not(containsString(TOKEN)));
            assertThat(text, not(containsString("LEAK-")));
        }

        // The receiver's answer is kept, with its credentials masked.
        String leakyEndpoint = Target.manifestWebhook(leaky).endpoint();
        Map<String, Object> refusedByReceiver = deliveries(id, "DeploymentFailed").stream()
                .filter(d -> leakyEndpoint.equals(d.get("endpoint"))).findFirst().orElseThrow();
        assertEquals("HTTP 400: denied for Bearer *** password=*** (not retried)", refusedByReceiver.get("lastError"));
        assertFalse(texts.isEmpty());
    }

    private static void addAll(List<String> texts, Row row, String... columns) {
        for (String column : columns) {
            String value = row.getString(column);
            if (value != null) {
                texts.add(value);
            }
        }
    }
}
