package dev.runway.healthwatcher.web;

import static dev.runway.healthwatcher.support.Commands.scrape;
import static dev.runway.healthwatcher.support.Commands.startWatch;
import static dev.runway.healthwatcher.support.Commands.thresholds;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URL;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import dev.runway.events.StartWatch;
import dev.runway.events.Topics;
import dev.runway.healthwatcher.support.DemoApp;
import dev.runway.testsupport.AvroKafka;
import dev.runway.testsupport.Backbone;
import dev.runway.testsupport.BackboneTestResource;
import dev.runway.testsupport.Tokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;

/**
 * The SRE page in headless chromium, signed in with a token of one client: that client's watch appears live
 * and its decision arrives while the page is open; another client's watch and decisions never show.
 */
@QuarkusTest
@QuarkusTestResource(value = BackboneTestResource.class, initArgs = { @ResourceArg(name = "database", value = "runway_health_test"),
        @ResourceArg(name = "jdbc", value = "true") })
class SrePageBrowserTest {

    private static final String RUN = UUID.randomUUID().toString().substring(0, 8);
    private static final String CLIENT_A = "hw-page-a-" + RUN;
    private static final String CLIENT_B = "hw-page-b-" + RUN;

    @TestHTTPResource("/index.html")
    URL page;

    @Test
    void showsItsClientsLiveWatchAndThenTheDecisionWithItsEvidenceWhileOpenAndNothingOfAnotherClient() throws Exception {
        String deploymentId = UUID.randomUUID().toString();
        String otherDeploymentId = UUID.randomUUID().toString();
        String token = Tokens.of("ann", List.of(CLIENT_A + "/*"), "viewer");
        try (DemoApp app = DemoApp.start("2.0.0", 0).withTraffic(30);
                Chromium browser = new Chromium(page.toString());
                KafkaProducer<String, Object> producer = AvroKafka.producer(Backbone.get())) {
            // Signed out: the page asks for a token and reads nothing.
            browser.awaitTrue("document.querySelector('#stream-status').dataset.state === 'signed-out'", Duration.ofSeconds(30));
            browser.evaluate("document.querySelector('#token').value = '" + token + "';"
                    + " document.querySelector('#signin').requestSubmit(); true");
            browser.awaitTrue("document.querySelector('#stream-status').dataset.state === 'live'", Duration.ofSeconds(30));
            // The token stays in the tab: sessionStorage only, not in the field, localStorage, a cookie or the URL.
            assertEquals(token, browser.evaluate("sessionStorage.getItem('runway.token')").asText());
            assertTrue(browser.evaluate("localStorage.length === 0 && document.cookie === '' && document.querySelector('#token').value === ''"
                    + " && !location.href.includes('" + token.substring(0, 20) + "')").asBoolean());

            String mine = "'.decision[data-deployment-id=\"" + deploymentId + "\"]'";
            String theirs = "'.decision[data-deployment-id=\"" + otherDeploymentId + "\"]'";
            assertTrue(browser.evaluate("document.querySelectorAll(" + mine + ").length === 0").asBoolean());

            StartWatch start = startWatch(CLIENT_A, "hw-test-shop", deploymentId, 120, thresholds(5, 2), List.of(scrape(app)));
            StartWatch other = startWatch(CLIENT_B, "hw-test-portal", otherDeploymentId, 120, thresholds(5, 2), List.of(scrape(app)));
            AvroKafka.send(producer, Topics.HEALTH_COMMANDS, otherDeploymentId, other);
            AvroKafka.send(producer, Topics.HEALTH_COMMANDS, deploymentId, start);
            // The live watch with its current values against the thresholds.
            browser.awaitTrue("(() => { const w = document.querySelector('.watch[data-watch-id=\"" + start.getWatchId() + "\"]');"
                    + " return !!w && w.innerText.includes('error_rate') && w.innerText.includes('> 5 %'); })()", Duration.ofSeconds(30));
            assertTrue(browser.evaluate("document.querySelector('.watch[data-watch-id=\"" + other.getWatchId() + "\"]') === null").asBoolean(),
                    "another client's watch is not shown");

            app.fault(0.6, null, null);
            browser.awaitTrue("document.querySelectorAll(" + mine + ").length >= 2", Duration.ofSeconds(40));
            String text = browser.evaluate("Array.from(document.querySelectorAll(" + mine + ")).map(e => e.innerText).join('\\n')").asText();
            assertTrue(text.contains("ThresholdBreached"), text);
            assertTrue(text.contains("RollbackDecided"), text);
            assertTrue(text.contains(CLIENT_A + "/hw-test-shop"), text);
            // 60 % errors: P0 (automatic); a first sample straddling the fault can settle at P1 (recommended).
            assertTrue(text.contains("AUTOMATIC rollback, P0") || text.contains("RECOMMENDED rollback, P1"), text);
            assertTrue(text.contains(app.metricsUrl()), "evidence names its source: " + text);
            assertTrue(text.contains("threshold 5"), text);
            assertTrue(browser.evaluate("document.querySelector(" + mine.replace("]'", "] svg.spark'") + ") !== null").asBoolean(),
                    "the samples are drawn");

            // B's watch breached on the same app at the same time; the agency-wide API shows it, the page of A never does.
            waitForDecisions(otherDeploymentId);
            browser.evaluate("loadHistory().then(() => true)");
            // B's decisions may still be on their way to the stream: the page must hold for a while, not only once.
            String aListedNotB = "document.querySelectorAll(" + mine + ").length >= 2 && document.querySelectorAll(" + theirs + ").length === 0";
            Awaitility.await("A's decisions listed, B's never").during(Duration.ofMillis(1500)).atMost(Duration.ofSeconds(5))
                    .pollInterval(Duration.ofMillis(100)).until(() -> browser.evaluate(aListedNotB).asBoolean(false));
            assertTrue(browser.evaluate("document.querySelectorAll(" + mine + ").length >= 2").asBoolean(), "A's decisions are still listed");
            assertTrue(browser.evaluate("document.querySelectorAll(" + theirs + ").length === 0").asBoolean(),
                    "another client's decisions are not shown");
            assertFalse(browser.evaluate("document.body.innerText").asText().contains(CLIENT_B), "no trace of the other client");
        }
    }

    private static void waitForDecisions(String deploymentId) {
        Awaitility.await("the other client's watch decided").atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(200))
                .until(() -> RestAssured.given().header("Authorization", Tokens.sre()).queryParam("deploymentId", deploymentId)
                        .get("/decisions").then().statusCode(200).extract().<Integer>path("total"), total -> total >= 2);
    }
}
