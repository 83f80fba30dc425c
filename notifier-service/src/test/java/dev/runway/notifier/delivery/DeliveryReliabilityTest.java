package dev.runway.notifier.delivery;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasSize;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import com.icegreen.greenmail.util.GreenMailUtil;

import dev.runway.events.DeploymentFailed;
import dev.runway.events.DeploymentSucceeded;
import dev.runway.events.Environment;
import dev.runway.events.IncidentPriority;
import dev.runway.events.ThresholdBreached;
import dev.runway.notifier.support.Events;
import dev.runway.notifier.support.NotifierEndpointsResource;
import dev.runway.notifier.support.NotifierScenario;
import dev.runway.notifier.support.Signatures;
import dev.runway.notifier.support.TestEndpoints;
import dev.runway.testsupport.BackboneTestResource;
import dev.runway.testsupport.Tokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Retries, dead letters, redelivery, a hanging endpoint and de-noising, against the real HTTP
 * server, GreenMail, Kafka and Postgres. Test settings: 3 attempts, backoff 0.2 s → 1 s, 4 s timeout.
 */
@QuarkusTest
@QuarkusTestResource(value = BackboneTestResource.class, initArgs = @ResourceArg(name = "database", value = "runway_notifier_test"))
@QuarkusTestResource(NotifierEndpointsResource.class)
class DeliveryReliabilityTest extends NotifierScenario {

    private static final Duration IN_TIME = Duration.ofSeconds(20);

    @Inject
    Pool pool;

    @AfterEach
    void releaseHangingRequests() {
        endpoints.releaseHangs();
    }

    private String manifestWithHooks(String id, String... behaviours) {
        StringBuilder yaml = new StringBuilder("slack: \"#reliability\"\nemail: [\"sre@acme.test\"]\nwebhooks:\n");
        for (String b : behaviours) {
            yaml.append("  - \"").append(endpoints.baseUrl()).append("/hook/").append(id).append('/').append(b).append("\"\n");
        }
        return Events.manifest(yaml.toString());
    }

    private static Map<String, Object> hookDelivery(String eventType, List<Map<String, Object>> log) {
        // Endpoints are masked; the row is found by elimination (the only webhook that is not the audit one).
        return log.stream().filter(d -> eventType.equals(d.get("eventType")) && "WEBHOOK".equals(d.get("channel"))
                && !"webhook:audit".equals(d.get("endpoint"))).findFirst().orElse(null);
    }

    @Test
    void shouldRetryWithBackoffThenSucceed() {
        String id = newDeploymentId();
        // Staging announces only the failure: one event meets the flaky endpoint (no circuit breaker in play).
        Events events = new Events(id, Environment.STAGING, "acme-shop");
        lifecycle(events.deployRequested("v1.2.0", manifestWithHooks(id, "flaky")));
        DeploymentFailed success = events.failed("v1.2.0", "smoke tests failed");
        lifecycle(success);

        Map<String, Object> row = await("flaky webhook delivered on the third attempt").atMost(IN_TIME).until(
                () -> hookDelivery("DeploymentFailed", deliveries(id)),
                d -> d != null && "DELIVERED".equals(d.get("status")));
        assertEquals(3, row.get("attempts"));
        assertThat((String) row.get("lastError"), containsString("HTTP 503"));
        List<TestEndpoints.Request> calls = endpoints.requests(r -> r.path().equals("/hook/" + id + "/flaky")
                && r.body().contains(success.getHeader().getEventId()));
        assertThat(calls, hasSize(3));
        assertThat(calls.stream().filter(r -> r.answered() == 200).toList(), hasSize(1));
        assertTrue(Signatures.verify(NotifierEndpointsResource.MANIFEST_KEY,
                calls.stream().filter(r -> r.answered() == 200).findFirst().orElseThrow(), 300));
        // Backoff: the successful call came after at least the first two delays (0.2 s and 0.4 s, minus jitter).
        List<TestEndpoints.Request> all = calls;
        long spanMs = (all.get(all.size() - 1).atNanos() - all.get(0).atNanos()) / 1_000_000;
        assertTrue(spanMs >= 250, "attempts were spread by backoff, span " + spanMs + " ms");
    }

    @Test
    void shouldDeadLetterPermanentRefusalAtOnceAndExhaustedRetriesAfterTheLastAttempt() {
        String id = newDeploymentId();
        Events events = new Events(id, Environment.PRODUCTION, "acme-shop");
        lifecycle(events.deployRequested("v1.3.0", manifestWithHooks(id, "gone", "down")));
        lifecycle(events.failed("v1.3.0", "boom"));

        List<Map<String, Object>> dead = await("both manifest webhooks dead-lettered").atMost(IN_TIME).until(
                () -> deliveries(id, "DeploymentFailed").stream()
                        .filter(d -> "WEBHOOK".equals(d.get("channel")) && !"webhook:audit".equals(d.get("endpoint"))).toList(),
                l -> l.size() == 2 && l.stream().allMatch(d -> "DEAD".equals(d.get("status"))));
        Map<String, Object> gone = dead.stream().filter(d -> ((String) d.get("lastError")).contains("410")).findFirst().orElseThrow();
        Map<String, Object> down = dead.stream().filter(d -> ((String) d.get("lastError")).contains("503")).findFirst().orElseThrow();
        assertEquals(1, gone.get("attempts"), "410 is not retried");
        assertEquals(3, down.get("attempts"), "503 is retried until the last attempt");

        List<Map<String, Object>> letters = given().header("Authorization", Tokens.sre()).queryParam("deploymentId", id)
                .when().get("/deliveries/dead-letters")
                .then().statusCode(200).extract().jsonPath().getList("$");
        assertThat(letters.stream().filter(l -> l.get("eventId").equals(gone.get("eventId"))).toList(), hasSize(2));
        // The others of the same event were delivered: one dead endpoint does not hold them.
        List<Map<String, Object>> others = deliveries(id, "DeploymentFailed").stream()
                .filter(d -> !"WEBHOOK".equals(d.get("channel")) || "webhook:audit".equals(d.get("endpoint"))).toList();
        assertThat(others, hasSize(3));
        assertTrue(others.stream().allMatch(d -> "DELIVERED".equals(d.get("status"))), "others " + others);
    }

    @Test
    void shouldSendNoSecondMessageWhenKafkaRedeliversAnEvent() {
        String id = newDeploymentId();
        Events events = new Events(id, Environment.PRODUCTION, "acme-shop");
        lifecycle(events.deployRequested("v1.4.0", manifestWithHooks(id, "ok")));
        DeploymentSucceeded success = events.succeeded("v1.4.0");
        String eventId = success.getHeader().getEventId();
        lifecycle(success);
        await("first delivery").atMost(IN_TIME).until(() -> requestsFor(id, "/hook/" + id + "/ok").stream()
                .filter(r -> r.body().contains(eventId)).toList(), l -> l.size() == 1);

        // The same record again (same eventId), then a marker on the same partition: once the marker
        // is delivered, the duplicate has certainly been consumed.
        lifecycle(success);
        lifecycle(success);
        var marker = events.stepStarted("marker");
        lifecycle(marker);
        await("marker delivered").atMost(IN_TIME).until(() -> requestsFor(id, "/hook/" + id + "/ok").stream()
                .filter(r -> r.body().contains(marker.getHeader().getEventId())).toList(), l -> l.size() == 1);
        // A second longer: no late second call of the duplicate.
        await("no second webhook call").during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(3)).until(
                () -> endpoints.requests(r -> r.path().equals("/hook/" + id + "/ok") && r.body().contains(eventId)).size() == 1);

        assertThat(endpoints.requests(r -> r.path().equals("/hook/" + id + "/ok") && r.body().contains(eventId)), hasSize(1));
        assertThat(endpoints.requests(r -> r.path().startsWith("/slack") && r.body().contains(id)
                && r.body().contains("DeploymentSucceeded")), hasSize(1));
        assertThat(endpoints.requests(r -> r.path().startsWith("/audit") && r.body().contains(eventId)), hasSize(1));
        assertThat(deliveries(id, "DeploymentSucceeded"), hasSize(4));
    }

    @Test
    void shouldDeliverToTheOthersWhileOneEndpointHangs() {
        String id = newDeploymentId();
        Events events = new Events(id, Environment.PRODUCTION, "acme-shop");
        lifecycle(events.deployRequested("v1.5.0", manifestWithHooks(id, "hang", "ok")));
        DeploymentSucceeded success = events.succeeded("v1.5.0");
        String eventId = success.getHeader().getEventId();
        long sent = System.nanoTime();
        lifecycle(success);

        // Slack, e-mail, the healthy manifest webhook and the audit webhook all arrive...
        await("the healthy endpoints").atMost(Duration.ofSeconds(10)).until(() -> List.of(
                endpoints.requests(r -> r.path().equals("/hook/" + id + "/ok") && r.body().contains(eventId)).size(),
                endpoints.requests(r -> r.path().startsWith("/audit") && r.body().contains(eventId)).size(),
                endpoints.requests(r -> r.path().startsWith("/slack") && r.body().contains(id) && r.body().contains("DeploymentSucceeded")).size(),
                (int) Arrays.stream(greenMail.getReceivedMessages()).filter(m -> {
                    try {
                        return m.getSubject().contains("deployment successful") && GreenMailUtil.getBody(m).contains(id);
                    } catch (Exception e) {
                        return false;
                    }
                }).count()), l -> l.stream().allMatch(n -> n == 1));

        // ...and are recorded as delivered, while the hanging one is still in flight (its 4 s timeout not yet up).
        List<Map<String, Object>> log = await("four rows delivered").atMost(Duration.ofSeconds(10)).until(
                () -> deliveries(id, "DeploymentSucceeded"),
                l -> l.stream().filter(d -> "DELIVERED".equals(d.get("status"))).count() == 4);
        long tookMs = (System.nanoTime() - sent) / 1_000_000;
        Map<String, Object> hanging = log.stream().filter(d -> !"DELIVERED".equals(d.get("status"))).findFirst().orElseThrow();
        assertEquals("WEBHOOK", hanging.get("channel"));
        assertEquals("SENDING", hanging.get("status"), "hanging delivery " + hanging + " after " + tookMs + " ms");
        assertEquals(5, log.size());

        // And the hanging one times out into a retry rather than blocking anything.
        Map<String, Object> retried = await("hanging attempt timed out").atMost(IN_TIME).until(
                () -> deliveries(id, "DeploymentSucceeded").stream().filter(d -> d.get("id").equals(hanging.get("id"))).findFirst().orElseThrow(),
                d -> d.get("lastError") != null);
        assertThat((String) retried.get("lastError"), containsString("no answer within 4 s"));
    }

    @Test
    void shouldResendADeliveryWhoseSenderVanishedOnceItsLeaseExpires() {
        // As a crashed instance leaves it: claimed (SENDING), lease run out, never recorded.
        String id = newDeploymentId();
        String eventId = UUID.randomUUID().toString();
        String body = "{\"text\":\"orphaned delivery " + id + "\",\"channel\":\"#recovery\"}";
        pool.preparedQuery("""
                INSERT INTO deliveries (event_id, event_type, deployment_id, environment, project, severity, channel,
                                        endpoint, payload, fingerprint, status, max_attempts, lease_until)
                VALUES ($1, 'DeploymentSucceeded', $2, 'PRODUCTION', 'acme-shop', 'INFO', 'SLACK', 'slack:#recovery',
                        $3, $1, 'SENDING', 3, now() - interval '1 second')""")
                .execute(Tuple.of(eventId, id, body)).await().atMost(Duration.ofSeconds(10));

        await("the orphaned delivery sent by the next pass").atMost(IN_TIME).until(
                () -> endpoints.requests(r -> r.path().startsWith("/slack") && r.body().contains("orphaned delivery " + id)),
                l -> l.size() == 1);
        await("and recorded").atMost(IN_TIME).until(() -> deliveries(id),
                l -> l.size() == 1 && "DELIVERED".equals(l.get(0).get("status")) && Integer.valueOf(1).equals(l.get(0).get("attempts")));
    }

    @Test
    void shouldCollapseRepeatedIdenticalNotificationsWithinTheWindow() {
        String id = newDeploymentId();
        Events events = new Events(id, Environment.PRODUCTION, "acme-shop");
        lifecycle(events.deployRequested("v1.6.0", Events.manifest("slack: \"#noisy\"")));
        ThresholdBreached first = events.breached("error_rate", 6.1, IncidentPriority.P1);
        health(first);
        health(events.breached("error_rate", 6.4, IncidentPriority.P1));
        health(events.breached("error_rate", 7.0, IncidentPriority.P1));
        // A different metric is a different notification.
        health(events.breached("latency_p99", 2500, IncidentPriority.P1));

        await("both breaches reach Slack").atMost(IN_TIME).until(() -> endpoints.requests(r -> r.path().startsWith("/slack")
                && r.body().contains(id) && r.body().contains("ThresholdBreached")), l -> l.size() == 2);
        List<Map<String, Object>> slackRows = await("collapsed rows").atMost(IN_TIME).until(
                () -> deliveries(id, "ThresholdBreached").stream().filter(d -> "SLACK".equals(d.get("channel"))).toList(),
                l -> l.size() == 4);
        Map<String, Object> original = slackRows.stream().filter(d -> first.getHeader().getEventId().equals(d.get("eventId")))
                .findFirst().orElseThrow();
        assertEquals(2, original.get("repeats"));
        assertEquals(2, slackRows.stream().filter(d -> "COLLAPSED".equals(d.get("status"))).count());
        // Half a second longer: no late Slack message for the collapsed repeats.
        await("no second error_rate message").during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(3)).until(
                () -> endpoints.requests(r -> r.path().startsWith("/slack") && r.body().contains(id)
                        && r.body().contains("error_rate")).size() == 1);
        assertThat(endpoints.requests(r -> r.path().startsWith("/slack") && r.body().contains(id)
                && r.body().contains("error_rate")), hasSize(1));
    }
}
