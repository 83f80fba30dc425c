package dev.runway.notifier;

import static org.awaitility.Awaitility.await;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasSize;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import jakarta.mail.Message;
import jakarta.mail.internet.MimeMessage;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.icegreen.greenmail.util.GreenMailUtil;

import dev.runway.events.DeploymentSucceeded;
import dev.runway.events.Environment;
import dev.runway.events.IncidentPriority;
import dev.runway.notifier.support.Events;
import dev.runway.notifier.support.NotifierEndpointsResource;
import dev.runway.notifier.support.NotifierScenario;
import dev.runway.notifier.support.Signatures;
import dev.runway.notifier.support.TestEndpoints;
import dev.runway.testsupport.BackboneTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;

/** Routing from the manifest and the rules, and what each real endpoint receives. */
@QuarkusTest
@QuarkusTestResource(value = BackboneTestResource.class, initArgs = @ResourceArg(name = "database", value = "runway_notifier_test"))
@QuarkusTestResource(NotifierEndpointsResource.class)
class NotificationChannelsTest extends NotifierScenario {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration IN_TIME = Duration.ofSeconds(20);

    @Test
    void shouldAnnounceProductionSuccessOnSlackEmailAndSignedWebhooksFromTheManifest() throws Exception {
        String id = newDeploymentId();
        Events events = new Events(id, Environment.PRODUCTION, "acme-shop");
        String hook = endpoints.baseUrl() + "/hook/" + id + "/ok";
        lifecycle(events.deployRequested("v2.0.0", Events.manifest("""
                slack: "#team-alpha"
                email:
                  - "dev-a@acme.test"
                  - "lead@acme.test"
                webhooks:
                  - "%s"
                """.formatted(hook))));
        DeploymentSucceeded success = events.succeeded("v2.0.0");
        lifecycle(success);
        String eventId = success.getHeader().getEventId();

        // Slack: the seed's success payload, in the manifest's channel.
        TestEndpoints.Request slack = await("Slack message of the success").atMost(IN_TIME).until(
                () -> endpoints.requests(r -> r.path().startsWith("/slack") && r.body().contains(id)
                        && r.body().contains("DeploymentSucceeded")), l -> !l.isEmpty()).get(0);
        JsonNode payload = JSON.readTree(slack.body());
        assertEquals("✅ Production deployment successful", payload.path("text").asText());
        assertEquals("#team-alpha", payload.path("channel").asText());
        assertEquals("section", payload.path("blocks").path(0).path("type").asText());
        String section = payload.path("blocks").path(0).path("text").path("text").asText();
        assertEquals("mrkdwn", payload.path("blocks").path(0).path("text").path("type").asText());
        assertThat(section, containsString("*Production Deployment Complete*"));
        assertThat(section, containsString("• Version: v2.0.0"));
        assertThat(section, containsString("• Components: web, api"));
        assertThat(section, containsString("• Deployed by: alice"));
        assertThat(section, containsString("• Check: http://runway.test/deployments/" + id));

        // E-mail: one message per recipient of the manifest, through the real SMTP server.
        List<MimeMessage> mails = await("two e-mails").atMost(IN_TIME).until(() -> mailsAbout(id, "deployment successful"),
                l -> l.size() >= 2);
        assertThat(mails.stream().map(NotificationChannelsTest::recipient).toList(),
                containsInAnyOrder("dev-a@acme.test", "lead@acme.test"));
        assertEquals("[Runway] ✅ Production deployment successful", mails.get(0).getSubject());
        assertThat(GreenMailUtil.getBody(mails.get(0)), containsString("Version: v2.0.0"));

        // The manifest's webhook and the configured audit webhook: JSON, signed, verified here.
        TestEndpoints.Request manifestHook = await("manifest webhook call").atMost(IN_TIME).until(
                () -> endpoints.requests(r -> r.path().equals("/hook/" + id + "/ok") && r.body().contains(eventId)),
                l -> !l.isEmpty()).get(0);
        assertTrue(Signatures.verify(NotifierEndpointsResource.MANIFEST_KEY, manifestHook, 300), "manifest webhook signature");
        assertEquals(eventId, manifestHook.header("X-Runway-Event-Id"));
        JsonNode body = JSON.readTree(manifestHook.body());
        // The rendered notice, as Slack and e-mail say it: not the raw record.
        assertEquals("DeploymentSucceeded", body.path("type").asText());
        assertEquals(id, body.path("deploymentId").asText());
        assertEquals("acme-shop", body.path("project").asText());
        assertEquals("PRODUCTION", body.path("environment").asText());
        assertEquals("SUCCEEDED", body.path("state").asText());
        assertEquals("v2.0.0", body.path("version").asText());
        assertEquals("✅ Production deployment successful", body.path("summary").asText());
        assertEquals("http://runway.test/deployments/" + id, body.path("links").path("deployment").asText());
        assertTrue(!body.has("event"), "the raw record is not sent");

        TestEndpoints.Request audit = await("audit webhook call").atMost(IN_TIME).until(
                () -> endpoints.requests(r -> r.path().startsWith("/audit") && r.body().contains(eventId)),
                l -> !l.isEmpty()).get(0);
        assertTrue(Signatures.verify(NotifierEndpointsResource.AUDIT_KEY, audit, 300), "audit webhook signature");
        assertTrue(!Signatures.verify(NotifierEndpointsResource.MANIFEST_KEY, audit, 300), "a foreign key must not verify");

        // The log: one delivered row per endpoint, endpoints without secrets.
        List<Map<String, Object>> log = await("five delivered rows").atMost(IN_TIME).until(
                () -> deliveries(id, "DeploymentSucceeded"),
                l -> l.size() == 5 && l.stream().allMatch(d -> "DELIVERED".equals(d.get("status"))));
        List<String> known = List.of("slack:#team-alpha", "email:dev-a@acme.test", "email:lead@acme.test", "webhook:audit");
        List<String> shown = log.stream().map(d -> (String) d.get("endpoint")).toList();
        assertTrue(shown.containsAll(known), "endpoints " + shown);
        // The manifest webhook shows as scheme://host:port/… plus a short hash: never its path.
        String manifestEndpoint = shown.stream().filter(e -> !known.contains(e)).findFirst().orElseThrow();
        assertTrue(manifestEndpoint.matches("webhook:http://127\\.0\\.0\\.1:\\d+/…#[0-9a-f]{10}"), manifestEndpoint);
        assertThat(log.stream().map(d -> d.get("attempts")).toList(), everyItem(equalTo(1)));
    }

    @Test
    void shouldTellStagingOnlyAboutFailuresAndRollbacksWithThe003IncidentMessage() throws Exception {
        String id = newDeploymentId();
        Events events = new Events(id, Environment.STAGING, "acme-shop");
        lifecycle(events.deployRequested("v3.1.0", Events.manifest("slack: \"#staging-alerts\"\nemail: [\"qa@acme.test\"]")));
        lifecycle(events.started("v3.1.0"));
        health(events.breached("error_rate", 12.5, IncidentPriority.P0));
        health(events.rollbackDecided(IncidentPriority.P0, "error rate 12.5% > 10%"));
        // Two topics, two consumers: let the decision land before the orchestrator's rollback report.
        await("RollbackDecided announced too").atMost(IN_TIME).until(() -> deliveries(id, "RollbackDecided"),
                l -> l.size() == 2 && l.stream().allMatch(d -> "DELIVERED".equals(d.get("status"))));
        lifecycle(events.rolledBack("v3.1.0", "error rate 12.5% > 10%"));

        TestEndpoints.Request slack = await("Slack rollback notice").atMost(IN_TIME).until(
                () -> endpoints.requests(r -> r.path().startsWith("/slack") && r.body().contains(id)
                        && r.body().contains("DeploymentRolledBack")), l -> !l.isEmpty()).get(0);
        JsonNode payload = JSON.readTree(slack.body());
        assertEquals("#staging-alerts", payload.path("channel").asText());
        assertEquals("⚠️ Rollback executed on staging: acme-shop v3.1.0 rolled back to the previous version",
                payload.path("text").asText());
        String incident = payload.path("blocks").path(1).path("text").path("text").asText();
        assertThat(incident, containsString("🚨 INCIDENT: acme-shop v3.1.0 rolled back on Staging"));
        assertThat(incident, containsString("Severity: P0"));
        assertThat(incident, containsString("Impact: error rate 12.5% &gt; 10%"));
        assertThat(incident, containsString("Actions Taken: Rolled back to the previous version (rollback-traffic, remove-green)"));
        assertThat(incident, containsString("Status: Resolved"));

        await("rollback e-mail with the incident").atMost(IN_TIME).until(() -> mailsAbout(id, "Rollback executed"),
                l -> l.size() == 1 && GreenMailUtil.getBody(l.get(0)).contains("Severity: P0"));

        // Staging rules: no DeployRequested/DeploymentStarted/ThresholdBreached notifications at all.
        List<Map<String, Object>> all = deliveries(id);
        assertThat(all.stream().map(d -> (String) d.get("eventType")).distinct().sorted().toList(),
                equalTo(List.of("DeploymentRolledBack", "RollbackDecided")));
    }

    @Test
    void shouldFallBackToEnvironmentDefaultsWhenNoManifestWasSeen() {
        String id = newDeploymentId();
        Events events = new Events(id, Environment.PRODUCTION, "orphan-app");
        lifecycle(events.failed("v9.9.9", "smoke tests failed"));

        List<Map<String, Object>> log = await("default routes delivered").atMost(IN_TIME).until(
                () -> deliveries(id, "DeploymentFailed"),
                l -> l.size() == 3 && l.stream().allMatch(d -> "DELIVERED".equals(d.get("status"))));
        assertThat(log.stream().map(d -> (String) d.get("endpoint")).toList(),
                containsInAnyOrder("slack:#deployments", "email:oncall@runway.test", "webhook:audit"));
        assertThat(log.stream().map(d -> d.get("severity")).distinct().toList(), equalTo(List.of("CRITICAL")));
        TestEndpoints.Request slack = requestsFor(id, "/slack").get(0);
        assertThat(slack.body(), containsString("❌ Production deployment failed"));
        assertThat(slack.body(), containsString("*Production Deployment Failed*"));
    }

    @Test
    void shouldAnnounceNothingForAnEnvironmentWhoseRuleExcludesTheEvent() {
        String id = newDeploymentId();
        Events events = new Events(id, Environment.STAGING, "quiet-app");
        // Staging has no default routes: the manifest names the channel.
        lifecycle(events.deployRequested("v1.0.0", Events.manifest("slack: \"#quiet\"")));
        lifecycle(events.succeeded("v1.0.0"));
        // A later staging failure of the same deployment is announced: so the success had its chance.
        lifecycle(events.failed("v1.0.0", "late failure"));
        await("the failure delivered").atMost(IN_TIME).until(() -> deliveries(id, "DeploymentFailed"),
                l -> !l.isEmpty() && l.stream().allMatch(d -> "DELIVERED".equals(d.get("status"))));
        assertThat(deliveries(id, "DeploymentSucceeded"), empty());
        assertThat(requestsFor(id, "/slack").stream().filter(r -> r.body().contains("DeploymentSucceeded")).toList(), hasSize(0));
    }

    private List<MimeMessage> mailsAbout(String deploymentId, String subjectPart) {
        return Arrays.stream(greenMail.getReceivedMessages())
                .filter(m -> {
                    try {
                        return m.getSubject().contains(subjectPart) && GreenMailUtil.getBody(m).contains(deploymentId);
                    } catch (Exception e) {
                        return false;
                    }
                }).toList();
    }

    private static String recipient(MimeMessage m) {
        try {
            return m.getRecipients(Message.RecipientType.TO)[0].toString();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
