package dev.runway.healthwatcher.watch;

import static dev.runway.healthwatcher.support.Commands.scrape;
import static dev.runway.healthwatcher.support.Commands.startWatch;
import static dev.runway.healthwatcher.support.Commands.thresholds;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.UUID;

import org.apache.avro.generic.GenericRecord;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.runway.events.Envelopes;
import dev.runway.events.Environment;
import dev.runway.events.HealthCheckPassed;
import dev.runway.events.IncidentPriority;
import dev.runway.events.RollbackDecided;
import dev.runway.events.RollbackMode;
import dev.runway.events.StartWatch;
import dev.runway.events.ThresholdBreached;
import dev.runway.events.Topics;
import dev.runway.events.WatchPhase;
import dev.runway.events.WatchTarget;
import dev.runway.healthwatcher.support.Commands;
import dev.runway.healthwatcher.support.DemoApp;
import dev.runway.healthwatcher.support.Kafka.Got;
import dev.runway.healthwatcher.support.Kafka;
import dev.runway.messaging.inbound.DeadLetter;
import dev.runway.messaging.inbound.PoisonRecordException;
import dev.runway.testsupport.AvroKafka;
import dev.runway.testsupport.Backbone;
import dev.runway.testsupport.BackboneTestResource;
import dev.runway.testsupport.Tokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;

/**
 * StartWatch on the real broker → the service scrapes a real demo-app process → decisions on the
 * real broker, read back by a plain consumer like the orchestrator's.
 */
@QuarkusTest
@QuarkusTestResource(value = BackboneTestResource.class, initArgs = { @ResourceArg(name = "database", value = "runway_health_test"),
        @ResourceArg(name = "jdbc", value = "true") })
class WatchFlowTest {

    static KafkaProducer<String, Object> producer;

    @BeforeAll
    static void producer() {
        producer = AvroKafka.producer(Backbone.get());
    }

    @AfterAll
    static void close() {
        producer.close();
    }

    static KafkaConsumer<String, Object> decisions() {
        return Kafka.consumerAtEnd(Topics.HEALTH_DECISIONS);
    }

    static void send(StartWatch start) {
        AvroKafka.send(producer, Topics.HEALTH_COMMANDS, start.getHeader().getDeploymentId(), start);
    }

    static <T extends SpecificRecord> Got<T> await(KafkaConsumer<String, Object> consumer, Class<T> type,
            String deploymentId, Duration timeout) {
        return Kafka.await(consumer, type, r -> deploymentId.equals(Envelopes.headerOf(r).getDeploymentId()), timeout);
    }

    @Test
    void errorRateSetThroughAdminFaultBreachesAndDecidesAnAutomaticRollback() {
        String deploymentId = UUID.randomUUID().toString();
        try (DemoApp app = DemoApp.start("1.4.0", 0).withTraffic(40); KafkaConsumer<String, Object> consumer = decisions()) {
            StartWatch start = startWatch(deploymentId, 120, thresholds(5, 2), List.of(scrape(app)));
            send(start);
            // A few clean samples first.
            Awaitility.await("two clean samples").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                    .until(() -> samplesOf(start.getWatchId()), n -> n >= 2);
            app.fault(0.5, null, null);

            Got<ThresholdBreached> breached = await(consumer, ThresholdBreached.class, deploymentId, Duration.ofSeconds(30));
            ThresholdBreached tb = breached.value();
            assertEquals(deploymentId, breached.kafkaRecord().key());
            assertEquals(start.getHeader().getEventId(), tb.getHeader().getCausationId());
            assertEquals(start.getHeader().getCorrelationId(), tb.getHeader().getCorrelationId());
            assertEquals(Environment.STAGING, tb.getHeader().getEnvironment());
            assertEquals(start.getWatchId(), tb.getWatchId());
            assertEquals("canary-25", tb.getStep());
            assertEquals("error_rate", tb.getMetric());
            assertEquals(5.0, tb.getThreshold());
            assertEquals(2, tb.getWindowSeconds());
            assertEquals(app.metricsUrl(), tb.getSource());
            assertTrue(tb.getValue() > 10, "50 % injected, lowest value of the run " + tb.getValue());
            assertEquals(IncidentPriority.P0, tb.getPriority());
            assertTrue(tb.getSamples().size() >= 3, "a 2 s run at 1 s holds at least 3 samples: " + tb.getSamples());
            tb.getSamples().stream().filter(s -> !Double.isNaN(s.getValue())).forEach(s -> assertTrue(s.getValue() > 5, "sample " + s));
            long span = tb.getSamples().get(tb.getSamples().size() - 1).getAt().toEpochMilli() - tb.getSamples().get(0).getAt().toEpochMilli();
            assertTrue(span >= 2000, "sustained for the whole 2 s: " + span + " ms");

            Got<RollbackDecided> decided = await(consumer, RollbackDecided.class, deploymentId, Duration.ofSeconds(10));
            RollbackDecided rd = decided.value();
            assertEquals(RollbackMode.AUTOMATIC, rd.getMode());
            assertEquals(IncidentPriority.P0, rd.getPriority());
            assertEquals(0, rd.getTimeframeSeconds());
            assertEquals(tb.getHeader().getEventId(), rd.getBreachEventId());
            assertEquals(start.getHeader().getEventId(), rd.getHeader().getCausationId());
            assertEquals(deploymentId, decided.kafkaRecord().key());
            assertTrue(rd.getReason().contains("error_rate") && rd.getReason().contains("automatic rollback now"), rd.getReason());
        }
    }

    @Test
    void aStartWatchWhoseWindowIsLongOverIsNotStarted() {
        String deploymentId = UUID.randomUUID().toString();
        // A free port in the test allowlist: admitted, nothing answers.
        List<WatchTarget> nowhere = List.of(WatchTarget.newBuilder().setComponent("api")
                .setHealthUrl("http://127.0.0.1:" + DemoApp.freePort() + "/health").build());
        StartWatch old = startWatch(deploymentId, 5, thresholds(5, 2), nowhere);
        old.getHeader().setOccurredAt(Instant.now().minus(Duration.ofMinutes(11)));
        send(old);
        // Then a fresh watch of the same deployment (same key, same partition): once it is live, the old one was consumed.
        StartWatch fresh = startWatch(deploymentId, 60, thresholds(5, 2), nowhere);
        send(fresh);
        String watches = Awaitility.await("the fresh watch runs").atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(200))
                .until(WatchFlowTest::liveWatches, w -> w.contains(fresh.getWatchId()));
        assertTrue(watches.contains(fresh.getWatchId()), "the fresh watch runs: " + watches);
        assertTrue(!watches.contains(old.getWatchId().toString()), "a StartWatch whose window ended 10+ minutes ago starts nothing");
        AvroKafka.send(producer, Topics.HEALTH_COMMANDS, deploymentId, Commands.stopWatch(fresh, "test over"));
    }

    @Test
    void aHealthyWindowEndsWithHealthCheckPassed() {
        String deploymentId = UUID.randomUUID().toString();
        try (DemoApp app = DemoApp.start("1.4.0", 0).withTraffic(30); KafkaConsumer<String, Object> consumer = decisions()) {
            StartWatch start = startWatch(deploymentId, 5, thresholds(5, 2), List.of(scrape(app)));
            send(start);
            Got<HealthCheckPassed> passed = await(consumer, HealthCheckPassed.class, deploymentId, Duration.ofSeconds(30));
            HealthCheckPassed hp = passed.value();
            assertEquals(start.getWatchId(), hp.getWatchId());
            assertEquals(WatchPhase.CANARY_STEP, hp.getPhase());
            assertEquals(start.getHeader().getEventId(), hp.getHeader().getCausationId());
            assertEquals(deploymentId, passed.kafkaRecord().key());
            assertTrue(hp.getSamples() >= 4, "about one sample a second over 5 s: " + hp.getSamples());
            assertTrue(hp.getSummary().contains("api error_rate max 0 % ≤ 5 %"), hp.getSummary());
        }
    }

    @Test
    void noTrafficIsInsufficientDataAndFailsAfterTheAllowedWindowsNeverPasses() {
        String deploymentId = UUID.randomUUID().toString();
        try (DemoApp app = DemoApp.start("1.4.0", 0); KafkaConsumer<String, Object> consumer = decisions()) {
            StartWatch start = startWatch(deploymentId, 2, thresholds(5, 1), List.of(scrape(app)));
            send(start);
            List<String> kinds = new ArrayList<>();
            Got<ThresholdBreached> breached = Kafka.await(consumer, ThresholdBreached.class, r -> {
                if (deploymentId.equals(r.getHeader().getDeploymentId())) {
                    kinds.add(r.getSchema().getName());
                    return true;
                }
                return false;
            }, Duration.ofSeconds(30));
            ThresholdBreached tb = breached.value();
            assertEquals("insufficient_data", tb.getMetric());
            assertEquals(0.0, tb.getValue(), "no sample carried an error rate");
            assertEquals(50.0, tb.getThreshold());
            assertTrue(tb.getSamples().stream().allMatch(s -> Double.isNaN(s.getValue())), "the evidence shows the missing data: " + tb.getSamples());
            RollbackDecided rd = await(consumer, RollbackDecided.class, deploymentId, Duration.ofSeconds(10)).value();
            assertEquals(RollbackMode.RECOMMENDED, rd.getMode());
            assertEquals(IncidentPriority.P1, rd.getPriority());
            assertTrue(rd.getReason().contains("do not promote"), rd.getReason());
        }
    }

    @Test
    void aRedeliveredStartWatchNeverYieldsASecondDecision() {
        String deploymentId = UUID.randomUUID().toString();
        try (DemoApp app = DemoApp.start("1.4.0", 1.0).withTraffic(30); KafkaConsumer<String, Object> consumer = decisions()) {
            StartWatch start = startWatch(deploymentId, 60, thresholds(5, 0), List.of(scrape(app)));
            send(start);
            send(start); // redelivery while watching
            await(consumer, ThresholdBreached.class, deploymentId, Duration.ofSeconds(30));
            send(start); // redelivery after the decision
            List<String> more = new ArrayList<>();
            // Five seconds in which nothing but the breach's RollbackDecided may arrive.
            Kafka.polling("at most one more decision", Duration.ofSeconds(8)).during(Duration.ofSeconds(5))
                    .until(() -> collect(consumer, deploymentId, more), seen -> seen.size() <= 1);
            assertEquals(List.of("RollbackDecided"), more, "after the breach only its RollbackDecided, once");
        }
    }

    @Test
    void stopWatchEndsTheWatchWithoutADecision() {
        String deploymentId = UUID.randomUUID().toString();
        try (DemoApp app = DemoApp.start("1.4.0", 1.0).withTraffic(30); KafkaConsumer<String, Object> consumer = decisions()) {
            StartWatch start = startWatch(deploymentId, 3, thresholds(5, 4), List.of(scrape(app)));
            send(start);
            AvroKafka.send(producer, Topics.HEALTH_COMMANDS, deploymentId, Commands.stopWatch(start, "cancelled"));
            List<String> seen = new ArrayList<>();
            // Seven seconds without a decision, well past the 3 s window.
            Kafka.polling("no decision", Duration.ofSeconds(10)).during(Duration.ofSeconds(7))
                    .until(() -> collect(consumer, deploymentId, seen), List::isEmpty);
            assertEquals(List.of(), seen, "a stopped watch decides nothing, though its app fails every request");
        }
    }

    @Test
    void undecodableAndUnwatchableCommandsGoToTheDeadLetterTopicWithTheReason() throws Exception {
        String garbageKey = UUID.randomUUID().toString();
        String deploymentId = UUID.randomUUID().toString();
        try (KafkaConsumer<String, byte[]> dlq = rawConsumerAtEnd(Topics.deadLetter(Topics.HEALTH_COMMANDS));
                KafkaProducer<String, byte[]> raw = rawProducer()) {
            byte[] garbage = "{\"not\":\"avro\"}".getBytes(StandardCharsets.UTF_8);
            raw.send(new ProducerRecord<>(Topics.HEALTH_COMMANDS, garbageKey, garbage)).get();
            StartWatch noTargets = startWatch(deploymentId, 10, thresholds(5, 1), List.of());
            send(noTargets);

            ConsumerRecord<String, byte[]> parked = awaitRaw(dlq, garbageKey);
            assertEquals(new String(garbage, StandardCharsets.UTF_8), new String(parked.value(), StandardCharsets.UTF_8), "kept as it came");
            assertTrue(header(parked, DeadLetter.REASON).contains("undecodable"), header(parked, DeadLetter.REASON));
            assertTheOneDeadLetterScheme(parked);

            ConsumerRecord<String, byte[]> invalid = awaitRaw(dlq, deploymentId);
            assertTrue(header(invalid, DeadLetter.REASON).contains("no targets"), header(invalid, DeadLetter.REASON));
            assertNotNull(invalid.value());
            assertTheOneDeadLetterScheme(invalid);

            // Counted by why (counted once the dead letter is written, so a moment after it is readable).
            Awaitility.await("dead letters counted by reason").atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(200))
                    .until(() -> RestAssured.given().header("Authorization", Tokens.bearer("prometheus", "metrics")).get("/q/metrics").asString(), metrics -> metrics.contains(
                            "runway_health_commands_dead_lettered_total{reason=\"undecodable\"}")
                            && metrics.contains("runway_health_commands_dead_lettered_total{reason=\"invalid\"}"));
        }
    }

    /** messaging-support's format (SmallRye's dead-letter-* headers), poison at once, and no other scheme beside it. */
    static void assertTheOneDeadLetterScheme(ConsumerRecord<String, byte[]> letter) {
        assertEquals(Topics.HEALTH_COMMANDS, header(letter, DeadLetter.TOPIC));
        assertEquals(PoisonRecordException.class.getName(), header(letter, DeadLetter.EXCEPTION_CLASS_NAME));
        assertTrue(header(letter, DeadLetter.PARTITION).matches("\\d+"), header(letter, DeadLetter.PARTITION));
        assertTrue(header(letter, DeadLetter.OFFSET).matches("\\d+"), header(letter, DeadLetter.OFFSET));
        for (Header h : letter.headers()) {
            assertFalse(h.key().startsWith("runway-dlq-"), "a second dead-letter scheme: " + h.key());
        }
        assertEquals(1, count(letter, DeadLetter.REASON), "one reason per dead letter");
    }

    static int count(ConsumerRecord<String, byte[]> r, String name) {
        int n = 0;
        for (Header h : r.headers().headers(name)) {
            n++;
        }
        return n;
    }

    /** The page's view of the live watches, as an agency-wide SRE sees it. */
    static String liveWatches() {
        return RestAssured.given().header("Authorization", Tokens.sre()).get("/watches").asString();
    }

    /** Samples taken so far by a live watch; 0 before it runs. */
    static int samplesOf(String watchId) {
        Integer samples = RestAssured.given().header("Authorization", Tokens.sre()).get("/watches").then().statusCode(200)
                .extract().path("find { it.watchId == '" + watchId + "' }.samples");
        return samples == null ? 0 : samples;
    }

    /** One poll: the kinds of the deployment's records in it, added to {@code into}. */
    static List<String> collect(KafkaConsumer<String, Object> consumer, String deploymentId, List<String> into) {
        for (ConsumerRecord<String, Object> r : consumer.poll(Duration.ofMillis(200))) {
            if (deploymentId.equals(r.key())) {
                into.add(((GenericRecord) r.value()).getSchema().getName());
            }
        }
        return into;
    }

    static String header(ConsumerRecord<String, byte[]> r, String name) {
        Header h = r.headers().lastHeader(name);
        return h == null ? "(no " + name + " header; have " + r.headers() + ")" : new String(h.value(), StandardCharsets.UTF_8);
    }

    static ConsumerRecord<String, byte[]> awaitRaw(KafkaConsumer<String, byte[]> consumer, String key) {
        List<ConsumerRecord<String, byte[]>> buffered = new ArrayList<>();
        return Kafka.polling("a dead letter with key " + key, Duration.ofSeconds(30)).until(() -> {
            consumer.poll(Duration.ofMillis(200)).forEach(buffered::add);
            return buffered.stream().filter(r -> key.equals(r.key())).findFirst();
        }, Optional::isPresent).orElseThrow();
    }

    static KafkaProducer<String, byte[]> rawProducer() {
        Properties p = new Properties();
        p.putAll(Backbone.get().kafkaAdmin());
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        return new KafkaProducer<>(p);
    }

    static KafkaConsumer<String, byte[]> rawConsumerAtEnd(String topic) {
        Properties p = new Properties();
        p.putAll(Backbone.get().kafkaAdmin());
        p.put(ConsumerConfig.GROUP_ID_CONFIG, "test-" + UUID.randomUUID());
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest");
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(p);
        c.subscribe(List.of(topic));
        return Kafka.atEnd(c);
    }
}
