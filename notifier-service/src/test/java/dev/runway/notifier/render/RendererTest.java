package dev.runway.notifier.render;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.time.Clock;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.runway.events.DeployRequested;
import dev.runway.events.DeploymentFailed;
import dev.runway.events.Environment;
import dev.runway.events.Envelopes;
import dev.runway.events.RepositoryRef;
import dev.runway.events.Strategy;
import dev.runway.messaging.Redaction;
import dev.runway.notifier.routing.DeploymentContext;
import dev.runway.notifier.routing.Notice;
import dev.runway.notifier.routing.Notices;

/** What each channel carries: the rendered notice only, redacted; never the raw record. */
class RendererTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String TOKEN = "ghs-TOKEN-S3CRET-77f1";
    private static final String LINKS = "https://runway.example.com/deployments/";

    @Test
    void shouldSendTheRenderedNoticeToWebhooksNotTheRawRecord() throws Exception {
        DeployRequested request = DeployRequested.newBuilder()
                .setHeader(Envelopes.first("d-1", Environment.PRODUCTION, "acme-shop", "acme", Clock.systemUTC()))
                .setVersion("1.2.0").setComponents(List.of("web")).setStrategy(Strategy.CANARY).setDryRun(false)
                .setRequestedBy("alice").setManifest("deployment:\n  notifications:\n    webhooks: [\"https://hooks.example.com/x\"]\n")
                .setRepository(RepositoryRef.newBuilder().setUrl("https://deployer:" + TOKEN + "@git.example.com/acme/shop.git")
                        .setCommit("0123456789abcdef0123456789abcdef01234567").setRef("main").build())
                .setCiEvidence("https://ci.example.com/runs/1")
                .setScanReport("{\"vulnerabilities\": {\"lodash\": {\"severity\": \"high\"}}}")
                .build();
        Notice notice = Notices.of(request, ctx(), Optional.of(LINKS)).redacted(Redaction::redact);

        String body = Renderer.webhook(notice);
        JsonNode doc = JSON.readTree(body);
        assertEquals("DeployRequested", doc.path("type").asText());
        assertEquals("d-1", doc.path("deploymentId").asText());
        assertEquals("acme-shop", doc.path("project").asText());
        assertEquals("acme", doc.path("client").asText());
        assertEquals("PRODUCTION", doc.path("environment").asText());
        assertEquals("REQUESTED", doc.path("state").asText());
        assertEquals("1.2.0", doc.path("version").asText());
        assertEquals("📝 Production deployment requested: acme-shop 1.2.0", doc.path("summary").asText());
        assertEquals("Strategy", doc.path("details").path(3).path("label").asText());
        assertEquals("CANARY", doc.path("details").path(3).path("value").asText());
        assertEquals(LINKS + "d-1", doc.path("links").path("deployment").asText());
        assertFalse(doc.has("event"), "the raw record is not sent");
        for (String absent : List.of(TOKEN, "git.example.com", "vulnerabilities", "lodash", "notifications", "hooks.example.com",
                "0123456789abcdef")) {
            assertThat(body, not(containsString(absent)));
        }
    }

    @Test
    void shouldKeepCredentialsInAReasonOutOfEveryChannel() throws Exception {
        DeploymentFailed failed = DeploymentFailed.newBuilder()
                .setHeader(Envelopes.first("d-2", Environment.STAGING, "acme-shop", "acme", Clock.systemUTC()))
                .setVersion("1.2.0").setFailedStep("deploy-green")
                .setReason("clone of https://deployer:" + TOKEN + "@git.example.com/acme/shop.git failed; Authorization: Bearer " + TOKEN)
                .build();
        Notice notice = Notices.of(failed, ctx(), Optional.empty()).redacted(Redaction::redact);
        String webhook = Renderer.webhook(notice);
        String slack = Renderer.slack(notice, "#deployments");
        String email = Renderer.email(notice);
        for (String text : List.of(webhook, slack, email, notice.headline(), notice.title())) {
            assertThat(text, not(containsString(TOKEN)));
        }
        assertEquals("clone of https://***@git.example.com/acme/shop.git failed; Authorization: Bearer ***",
                JSON.readTree(webhook).path("details").path(2).path("value").asText());
        assertEquals("FAILED", JSON.readTree(webhook).path("state").asText());
        assertThat(email, containsString("Reason: clone of https://***@git.example.com/acme/shop.git failed"));
    }

    private static DeploymentContext ctx() {
        return DeploymentContext.unknown("d-1", Environment.PRODUCTION, "acme-shop");
    }
}
