package dev.runway.healthwatcher.watch;

import static dev.runway.healthwatcher.support.Commands.startWatch;
import static dev.runway.healthwatcher.support.Commands.thresholds;
import static dev.runway.healthwatcher.watch.WatchFlowTest.assertTheOneDeadLetterScheme;
import static dev.runway.healthwatcher.watch.WatchFlowTest.awaitRaw;
import static dev.runway.healthwatcher.watch.WatchFlowTest.header;
import static dev.runway.healthwatcher.watch.WatchFlowTest.rawConsumerAtEnd;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.UUID;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.runway.events.StartWatch;
import dev.runway.events.Topics;
import dev.runway.events.WatchTarget;
import dev.runway.healthwatcher.support.Commands;
import dev.runway.healthwatcher.support.TestServer;
import dev.runway.messaging.inbound.DeadLetter;
import dev.runway.testsupport.AvroKafka;
import dev.runway.testsupport.Backbone;
import dev.runway.testsupport.BackboneTestResource;
import dev.runway.testsupport.Tokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.path.json.JsonPath;

/**
 * StartWatches on the real broker whose targets are not allowed: refused as poison with the reason before
 * anything is fetched or stored; and a watch whose targets answer too much: failed samples with the reason.
 */
@QuarkusTest
@QuarkusTestResource(value = BackboneTestResource.class, initArgs = { @ResourceArg(name = "database", value = "runway_health_test"),
        @ResourceArg(name = "jdbc", value = "true") })
class OutboundWatchTest {

    static KafkaProducer<String, Object> producer;

    @BeforeAll
    static void producer() {
        producer = AvroKafka.producer(Backbone.get());
    }

    @AfterAll
    static void close() {
        producer.close();
    }

    static StartWatch send(WatchTarget target) {
        StartWatch start = startWatch(UUID.randomUUID().toString(), 60, thresholds(5, 30), List.of(target));
        AvroKafka.send(producer, Topics.HEALTH_COMMANDS, start.getHeader().getDeploymentId(), start);
        return start;
    }

    static String reason(KafkaConsumer<String, byte[]> dlq, StartWatch start) {
        ConsumerRecord<String, byte[]> letter = awaitRaw(dlq, start.getHeader().getDeploymentId());
        assertTheOneDeadLetterScheme(letter);
        return header(letter, DeadLetter.REASON);
    }

    @Test
    void aWatchOfTheMetadataAddressOrAPrivateAddressIsRefusedWithTheReasonAndNothingIsFetched() {
        try (KafkaConsumer<String, byte[]> dlq = rawConsumerAtEnd(Topics.deadLetter(Topics.HEALTH_COMMANDS));
                TestServer allowed = TestServer.on("127.0.0.1"); TestServer other = TestServer.on("127.0.0.2")) {
            StartWatch metadata = send(WatchTarget.newBuilder().setComponent("api")
                    .setMetricsUrl("http://169.254.169.254/latest/meta-data/iam/security-credentials/").build());
            StartWatch privateNet = send(WatchTarget.newBuilder().setComponent("api").setMetricsUrl("http://10.0.0.1/q/metrics").build());
            // One refused URL refuses the whole watch, though its metrics URL is allowed: no partial watch that passes unseen.
            StartWatch mixed = send(WatchTarget.newBuilder().setComponent("api").setMetricsUrl(allowed.url("/q/metrics"))
                    .setHealthUrl(other.url("/health")).build());

            String why = reason(dlq, metadata);
            assertTrue(why.contains("StartWatch " + metadata.getHeader().getEventId() + " rejected: api metricsUrl refused: "
                    + "169.254.169.254:80 is a cloud metadata address and runway.health.outbound.allow does not name it"), why);
            why = reason(dlq, privateNet);
            assertTrue(why.contains("api metricsUrl refused: 10.0.0.1:80 is a private address and runway.health.outbound.allow does not name it"),
                    why);
            why = reason(dlq, mixed);
            assertTrue(why.contains("api healthUrl refused: 127.0.0.2:" + other.port() + " is a loopback address"), why);

            String watches = WatchFlowTest.liveWatches();
            for (StartWatch s : List.of(metadata, privateNet, mixed)) {
                assertFalse(watches.contains(s.getWatchId()), "a refused watch never runs: " + watches);
            }
            assertEquals(List.of(), allowed.requests, "the refused watch's allowed URL was not fetched either");
            assertEquals(List.of(), other.requests);
            Awaitility.await("refusals counted").atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(200))
                    .until(() -> RestAssured.given().header("Authorization", Tokens.bearer("prometheus", "metrics")).get("/q/metrics").asString(),
                            m -> m.contains("runway_health_commands_dead_lettered_total{reason=\"refused-target\"}"));
        }
    }

    @Test
    void anOversizedScrapeOrProbeIsAFailedSampleWithTheReason() {
        try (TestServer server = TestServer.on("127.0.0.1")) {
            StartWatch start = send(WatchTarget.newBuilder().setComponent("api").setMetricsUrl(server.url("/endless/q/metrics"))
                    .setHealthUrl(server.url("/big/health")).build());
            String watch = "find { it.watchId == '" + start.getWatchId() + "' }";
            Awaitility.await("failed samples with their reasons").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(300))
                    .until(() -> RestAssured.given().header("Authorization", Tokens.sre()).get("/watches").then().statusCode(200).extract()
                            .path(watch + ".series.findAll { it.metric in ['error_rate', 'health_check_failing'] }"),
                            series -> series != null && ((List<?>) series).size() == 2 && ((List<?>) series).stream()
                                    .allMatch(s -> String.valueOf(s).contains("over 2 MiB")));
            JsonPath json = RestAssured.given().header("Authorization", Tokens.sre()).get("/watches").then().extract().jsonPath();
            assertNull(json.get(watch + ".series.find { it.metric == 'error_rate' }.value"), "no data, never zero");
            assertTrue(json.getString(watch + ".series.find { it.metric == 'error_rate' }.detail").contains("scrape failed: response over 2 MiB"),
                    json.getString(watch + ".series.find { it.metric == 'error_rate' }.detail"));
            assertEquals(1.0f, json.getFloat(watch + ".series.find { it.metric == 'health_check_failing' }.value"), "the probe failed");
            assertTrue(json.getString(watch + ".series.find { it.metric == 'health_check_failing' }.detail").contains("bytes is over 2 MiB"),
                    json.getString(watch + ".series.find { it.metric == 'health_check_failing' }.detail"));
            AvroKafka.send(producer, Topics.HEALTH_COMMANDS, start.getHeader().getDeploymentId(), Commands.stopWatch(start, "test over"));
        }
    }
}
