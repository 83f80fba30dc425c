package dev.runway.healthwatcher.web;

import static dev.runway.healthwatcher.support.Commands.scrape;
import static dev.runway.healthwatcher.support.Commands.startWatch;
import static dev.runway.healthwatcher.support.Commands.thresholds;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URL;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.junit.jupiter.api.Test;

import dev.runway.events.StartWatch;
import dev.runway.events.Topics;
import dev.runway.healthwatcher.support.DemoApp;
import dev.runway.testsupport.AvroKafka;
import dev.runway.testsupport.Backbone;
import dev.runway.testsupport.BackboneTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;

/** The SRE page in headless chromium: a watch appears live, and its decision arrives while the page is open. */
@QuarkusTest
@QuarkusTestResource(value = BackboneTestResource.class, initArgs = { @ResourceArg(name = "database", value = "runway_health_test"),
        @ResourceArg(name = "jdbc", value = "true") })
class SrePageBrowserTest {

    @TestHTTPResource("/index.html")
    URL page;

    @Test
    void showsALiveWatchAndThenTheDecisionWithItsEvidenceWhileOpen() throws Exception {
        String deploymentId = UUID.randomUUID().toString();
        try (DemoApp app = DemoApp.start("2.0.0", 0).withTraffic(30);
                Chromium browser = new Chromium(page.toString());
                KafkaProducer<String, Object> producer = AvroKafka.producer(Backbone.get())) {
            browser.awaitTrue("document.querySelector('#stream-status').dataset.state === 'live'", Duration.ofSeconds(30));
            String selector = "'.decision[data-deployment-id=\"" + deploymentId + "\"]'";
            assertTrue(browser.evaluate("document.querySelectorAll(" + selector + ").length === 0").asBoolean());

            StartWatch start = startWatch(deploymentId, 120, thresholds(5, 2), List.of(scrape(app)));
            AvroKafka.send(producer, Topics.HEALTH_COMMANDS, deploymentId, start);
            // The live watch with its current values against the thresholds.
            browser.awaitTrue("(() => { const w = document.querySelector('.watch[data-watch-id=\"" + start.getWatchId() + "\"]');"
                    + " return !!w && w.innerText.includes('error_rate') && w.innerText.includes('> 5 %'); })()", Duration.ofSeconds(30));

            app.fault(0.6, null, null);
            browser.awaitTrue("document.querySelectorAll(" + selector + ").length >= 2", Duration.ofSeconds(40));
            String text = browser.evaluate("Array.from(document.querySelectorAll(" + selector + ")).map(e => e.innerText).join('\\n')").asText();
            assertTrue(text.contains("ThresholdBreached"), text);
            assertTrue(text.contains("RollbackDecided"), text);
            // 60 % errors: P0 (automatic); a first sample straddling the fault can settle at P1 (recommended).
            assertTrue(text.contains("AUTOMATIC rollback, P0") || text.contains("RECOMMENDED rollback, P1"), text);
            assertTrue(text.contains(app.metricsUrl()), "evidence names its source: " + text);
            assertTrue(text.contains("threshold 5"), text);
            assertTrue(browser.evaluate("document.querySelector(" + selector.replace("]'", "] svg.spark'") + ") !== null").asBoolean(),
                    "the samples are drawn");
        }
    }
}
