package dev.runway.validator.messaging;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.stream.Collectors;

import org.apache.avro.generic.GenericRecord;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.common.utils.Utils;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.runway.events.CheckResult;
import dev.runway.events.CheckStatus;
import dev.runway.events.DeployRequested;
import dev.runway.events.Environment;
import dev.runway.events.Envelopes;
import dev.runway.events.EventHeader;
import dev.runway.events.MigrationSets;
import dev.runway.events.RepositoryRef;
import dev.runway.events.Strategy;
import dev.runway.events.Topics;
import dev.runway.events.ValidationFailed;
import dev.runway.events.ValidationOutcome;
import dev.runway.events.ValidationPassed;
import dev.runway.events.ValidationReport;
import dev.runway.messaging.inbound.PoisonRecordException;
import dev.runway.testsupport.AvroKafka;
import dev.runway.testsupport.Backbone;
import dev.runway.testsupport.BackboneTestResource;
import dev.runway.validator.fixtures.FixtureRepo;
import dev.runway.validator.validation.ProcessedRequests;
import io.apicurio.registry.serde.avro.AvroKafkaDeserializer;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;

/**
 * The service on the real broker, registry and Postgres: DeployRequested in, ValidationPassed or
 * ValidationFailed out (keyed by deployment id, caused by the request), once per deployment;
 * what cannot be decoded goes to the dead-letter topic with its reason.
 */
@QuarkusTest
@QuarkusTestResource(value = BackboneTestResource.class, initArgs = {
        @ResourceArg(name = "database", value = "runway_validator_test"), @ResourceArg(name = "jdbc", value = "true") })
class ValidationRequestConsumerTest {

    static final Duration WAIT = Duration.ofSeconds(90);
    static FixtureRepo example;
    static FixtureRepo broken;
    static KafkaProducer<String, Object> producer;

    private final ProcessedRequests processed;

    ValidationRequestConsumerTest(ProcessedRequests processed) {
        this.processed = processed;
    }

    @BeforeAll
    static void fixtures() {
        example = FixtureRepo.released();
        broken = FixtureRepo.released();
        broken.delete("scripts/rollback.sh")
                .delete("services/api/Dockerfile")
                .edit("config/staging.env", "JWT_SECRET=vault:secret/data/acme-shop/staging#jwt_secret", "JWT_SECRET=plain-text-secret")
                .release("v1.1.0");
        producer = AvroKafka.producer(Backbone.get());
    }

    @AfterAll
    static void cleanUp() {
        producer.close();
        example.close();
        broken.close();
    }

    static DeployRequested request(String deploymentId, String url, String commit, String version, String manifest) {
        EventHeader header = Envelopes.first(deploymentId, Environment.STAGING, "acme-shop", Clock.systemUTC());
        return DeployRequested.newBuilder()
                .setHeader(header)
                .setVersion(version)
                .setComponents(List.of("all"))
                .setStrategy(Strategy.BLUE_GREEN)
                .setDryRun(false)
                .setRequestedBy("test@acme.example.com")
                .setManifest(manifest)
                .setRepository(RepositoryRef.newBuilder().setUrl(url).setCommit(commit).setRef("main").build())
                .setCiEvidence(FixtureRepo.CI_RUN)
                .setScanReport(null)
                .build();
    }

    /** Sends the request and returns the answer for its deployment, as read back from the results topic. */
    static ConsumerRecord<String, Object> answer(DeployRequested request) {
        try (KafkaConsumer<String, Object> results = resultsAtEnd()) {
            String id = request.getHeader().getDeploymentId();
            AvroKafka.send(producer, Topics.VALIDATION_REQUESTS, id, request);
            return AvroKafka.await(results, r -> id.equals(r.key()), WAIT);
        }
    }

    /**
     * A consumer of the results topic positioned at its end, decoding to generic records. Written
     * here (not test-support's helper) so this test binds only to the serde settings it shares.
     */
    static KafkaConsumer<String, Object> resultsAtEnd() {
        Properties props = new Properties();
        props.putAll(AvroKafka.serdeConfig(Backbone.get()));
        props.put("apicurio.registry.use-specific-avro-reader", "false");
        props.putAll(Backbone.get().kafkaAdmin());
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "test-" + UUID.randomUUID());
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, AvroKafkaDeserializer.class.getName());
        KafkaConsumer<String, Object> consumer = new KafkaConsumer<>(props);
        atEnd(consumer, Topics.VALIDATION_RESULTS);
        return consumer;
    }

    /** Takes every partition of {@code topic} and moves to its end, before anything is sent. */
    static void atEnd(KafkaConsumer<?, ?> consumer, String topic) {
        var partitions = consumer.partitionsFor(topic).stream()
                .map(p -> new TopicPartition(topic, p.partition())).toList();
        consumer.assign(partitions);
        consumer.seekToEnd(partitions);
        partitions.forEach(consumer::position);
    }

    static <T extends SpecificRecord> T as(ConsumerRecord<String, Object> record, Class<T> type) {
        GenericRecord g = (GenericRecord) record.value();
        assertEquals(type.getName(), g.getSchema().getFullName(), "answer type");
        return AvroKafka.toSpecific(g, type);
    }

    static void assertCausedBy(DeployRequested request, EventHeader answer) {
        assertEquals(request.getHeader().getDeploymentId(), answer.getDeploymentId());
        assertEquals(request.getHeader().getEventId(), answer.getCausationId());
        assertEquals(request.getHeader().getCorrelationId(), answer.getCorrelationId());
        assertEquals(Environment.STAGING, answer.getEnvironment());
    }

    @Test
    void exampleProjectPasses() {
        String id = UUID.randomUUID().toString();
        DeployRequested request = request(id, example.dir().toString(), example.head(), "1.0.0", null);
        ConsumerRecord<String, Object> record = answer(request);
        assertEquals(id, record.key());
        ValidationPassed passed = as(record, ValidationPassed.class);
        assertCausedBy(request, passed.getHeader());
        assertEquals(ValidationOutcome.PASSED, passed.getReport().getOutcome());
        assertEquals(0, passed.getReport().getErrors());
        assertTrue(passed.getReport().getChecks().size() > 30);
        assertTrue(passed.getReport().getChecks().stream().allMatch(c -> c.getPhase() >= 1 && c.getPhase() <= 8));
        assertEquals("ValidationPassed", processed.outcomeOf(id).await().atMost(Duration.ofSeconds(10)));
        // The migration files it validated, as the executor will compare them before running any.
        assertEquals("database/migrations", passed.getMigrations().getPath());
        assertEquals(List.of("20260115143022_create_orders_table.sql", "20260201090000_add_orders_note.sql"),
                passed.getMigrations().getFiles().stream().map(f -> f.getFile()).toList());
        assertEquals(MigrationSets.sha256(example.read(FixtureRepo.NEWEST_MIGRATION).getBytes(StandardCharsets.UTF_8)),
                passed.getMigrations().getFiles().get(1).getSha256());
    }

    @Test
    void brokenProjectFailsWithTheRulesItBreaks() {
        String id = UUID.randomUUID().toString();
        DeployRequested request = request(id, broken.dir().toString(), broken.head(), "1.1.0", null);
        ValidationFailed failed = as(answer(request), ValidationFailed.class);
        assertCausedBy(request, failed.getHeader());
        Set<String> failedRules = failed.getReport().getChecks().stream()
                .filter(c -> c.getStatus() == CheckStatus.FAILED).map(CheckResult::getRuleId).collect(Collectors.toSet());
        assertEquals(Set.of("structure.required-file", "containers.dockerfile", "env.no-committed-secrets"), failedRules);
        assertEquals(3, failed.getReport().getErrors());
        CheckResult missing = failed.getReport().getChecks().stream()
                .filter(c -> c.getRuleId().equals("structure.required-file") && c.getStatus() == CheckStatus.FAILED).findFirst().orElseThrow();
        assertEquals("scripts/rollback.sh", missing.getFile());
        assertEquals(1, missing.getPhase());
        assertEquals("Repository Structure Validation", missing.getPhaseName());
        assertNotNull(missing.getHint());
        assertTrue(failed.getReason().contains("structure.required-file"), failed.getReason());
        assertFalse(failed.toString().contains("plain-text-secret"), "a secret value reached the event");
    }

    @Test
    void unreadableRepositoryFailsWithTheReason() {
        String id = UUID.randomUUID().toString();
        String missing = Path.of(System.getProperty("java.io.tmpdir"), "nonexistent-acme-shop-" + id).toString();
        DeployRequested request = request(id, missing, "0123456789abcdef0123456789abcdef01234567", "1.0.0", null);
        ValidationFailed failed = as(answer(request), ValidationFailed.class);
        assertTrue(failed.getReason().contains("no repository at " + missing), failed.getReason());
        assertEquals("source.readable", failed.getReport().getChecks().get(0).getRuleId());
        assertEquals(ValidationOutcome.FAILED, failed.getReport().getOutcome());
    }

    /**
     * Repositories the operator does not allow are refused before anything is read (test config: file roots =
     * the temporary directory, hosts = 127.0.0.1), and a token in a URL reaches neither the published answer
     * (read back raw from the topic) nor the log: refused, or cloned and failed.
     */
    @Test
    void repositoryUrlsOutsideThePolicyAreRefusedAndTokensNeverPublished() throws Exception {
        String token = "ghs-TOKEN-S3CRET-9d3e";
        Map<String, String> refusals = new LinkedHashMap<>();
        refusals.put("https://deployer:" + token + "@127.0.0.1:9/acme/shop.git",
                "repository https://***@127.0.0.1:9/acme/shop.git could not be cloned");
        refusals.put("https://deployer:" + token + "@git.internal.example/acme/shop.git",
                "repository https://***@git.internal.example/acme/shop.git is refused: host git.internal.example:443 is not in "
                        + "runway.validator.repositories.allow-hosts [127.0.0.1]");
        refusals.put("http://169.254.169.254/latest/meta-data/", "is refused: scheme http is not in runway.validator.repositories.allow-schemes");
        refusals.put("/etc", "repository /etc is refused: local repositories must lie under runway.validator.repositories.allow-file-roots");
        try (KafkaConsumer<String, byte[]> raw = rawConsumerAtEnd(Topics.VALIDATION_RESULTS)) {
            for (Map.Entry<String, String> refusal : refusals.entrySet()) {
                String id = UUID.randomUUID().toString();
                ValidationFailed failed = as(answer(request(id, refusal.getKey(), "0123456789abcdef0123456789abcdef01234567", "1.0.0", null)),
                        ValidationFailed.class);
                assertTrue(failed.getReason().contains(refusal.getValue()), failed.getReason());
                assertEquals("source.readable", failed.getReport().getChecks().get(0).getRuleId());
                ConsumerRecord<String, byte[]> published = awaitKey(raw, id);
                String bytes = new String(published.value(), StandardCharsets.ISO_8859_1);
                assertFalse(bytes.contains(token), "the token was published: " + bytes);
                published.headers().forEach(h -> assertFalse(new String(h.value(), StandardCharsets.ISO_8859_1).contains(token)));
            }
        }
        assertFalse(Files.readString(Path.of("target/validator-test.log")).contains(token), "the token was logged");
    }

    @Test
    void fileUrlIsClonedAndValidated() {
        String id = UUID.randomUUID().toString();
        DeployRequested request = request(id, example.dir().toUri().toString(), example.head(), "1.0.0", null);
        as(answer(request), ValidationPassed.class);
    }

    @Test
    void hostileInlineManifestFailsCleanly() {
        String id = UUID.randomUUID().toString();
        String bomb = "a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n"
                + "b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\n";
        DeployRequested request = request(id, example.dir().toString(), example.head(), "1.0.0", bomb);
        ValidationFailed failed = as(answer(request), ValidationFailed.class);
        assertTrue(failed.getReport().getChecks().stream()
                .anyMatch(c -> c.getRuleId().equals("manifest.yaml") && c.getStatus() == CheckStatus.FAILED), failed.getReason());
    }

    /**
     * A second request for an answered deployment gets no second answer. Proven without waiting for
     * silence: a third deployment whose key lands on the same partition is sent after it; the
     * consumer handles one partition in order, so once the third is answered the duplicate was seen.
     */
    @Test
    void answersEachDeploymentOnce() {
        String id = UUID.randomUUID().toString();
        String marker = samePartitionKey(id);
        DeployRequested first = request(id, example.dir().toString(), example.head(), "1.0.0", null);
        as(answer(first), ValidationPassed.class);

        try (KafkaConsumer<String, Object> results = resultsAtEnd()) {
            AvroKafka.send(producer, Topics.VALIDATION_REQUESTS, id, request(id, example.dir().toString(), example.head(), "1.0.0", null));
            AvroKafka.send(producer, Topics.VALIDATION_REQUESTS, marker,
                    request(marker, example.dir().toString(), example.head(), "1.0.0", null));
            List<String> keysSeen = new ArrayList<>();
            AvroKafka.await(results, r -> {
                keysSeen.add(r.key());
                return marker.equals(r.key());
            }, WAIT);
            assertFalse(keysSeen.contains(id), "deployment " + id + " was answered twice");
        }
    }

    private static String samePartitionKey(String key) {
        int partitions = producer.partitionsFor(Topics.VALIDATION_REQUESTS).size();
        int target = partitionOf(key, partitions);
        while (true) {
            String candidate = UUID.randomUUID().toString();
            if (partitionOf(candidate, partitions) == target) {
                return candidate;
            }
        }
    }

    private static int partitionOf(String key, int partitions) {
        return Utils.toPositive(Utils.murmur2(key.getBytes(StandardCharsets.UTF_8))) % partitions;
    }

    @Test
    void undecodableAndForeignRecordsGoToTheDeadLetterTopicWithTheirReason() {
        String garbageKey = UUID.randomUUID().toString();
        byte[] garbage = "this is not avro".getBytes(StandardCharsets.UTF_8);
        try (KafkaConsumer<String, byte[]> dlq = rawConsumerAtEnd(Topics.deadLetter(Topics.VALIDATION_REQUESTS));
                KafkaProducer<String, byte[]> raw = rawProducer()) {
            raw.send(new ProducerRecord<>(Topics.VALIDATION_REQUESTS, garbageKey, garbage)).get();
            ConsumerRecord<String, byte[]> dead = awaitKey(dlq, garbageKey);
            assertArrayEquals(garbage, dead.value(), "the original bytes are kept");
            // The inbound pipeline dead-letters poison at once, with SmallRye's dead-letter-* headers.
            assertFalse(header(dead, "dead-letter-reason").isBlank(), "no reason on the dead letter");
            assertTrue(header(dead, "dead-letter-reason").startsWith("undecodable record"), header(dead, "dead-letter-reason"));
            assertEquals(PoisonRecordException.class.getName(), header(dead, "dead-letter-exception-class-name"));
            assertEquals(Topics.VALIDATION_REQUESTS, header(dead, "dead-letter-topic"));
            assertFalse(header(dead, "dead-letter-offset").isBlank(), "no offset on the dead letter");

            String foreignKey = UUID.randomUUID().toString();
            EventHeader h = Envelopes.first(foreignKey, Environment.STAGING, "acme-shop", Clock.systemUTC());
            ValidationPassed foreign = ValidationPassed.newBuilder().setHeader(h).setReport(ValidationReport.newBuilder()
                    .setOutcome(ValidationOutcome.PASSED).setErrors(0).setWarnings(0).setChecks(List.of()).setDurationMs(0).build()).build();
            AvroKafka.send(producer, Topics.VALIDATION_REQUESTS, foreignKey, foreign);
            ConsumerRecord<String, byte[]> deadForeign = awaitKey(dlq, foreignKey);
            assertTrue(header(deadForeign, "dead-letter-reason").contains("carries DeployRequested only"), header(deadForeign, "dead-letter-reason"));
            assertEquals(Topics.VALIDATION_REQUESTS, header(deadForeign, "dead-letter-topic"));
        } catch (InterruptedException | ExecutionException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String header(ConsumerRecord<String, byte[]> record, String name) {
        var h = record.headers().lastHeader(name);
        return h == null ? "" : new String(h.value(), StandardCharsets.UTF_8);
    }

    private static KafkaProducer<String, byte[]> rawProducer() {
        Properties props = new Properties();
        props.putAll(Backbone.get().kafkaAdmin());
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        return new KafkaProducer<>(props);
    }

    private static KafkaConsumer<String, byte[]> rawConsumerAtEnd(String topic) {
        Properties props = new Properties();
        props.putAll(Backbone.get().kafkaAdmin());
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "test-" + UUID.randomUUID());
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(props);
        atEnd(consumer, topic);
        return consumer;
    }

    /** The first record keyed {@code key}; the consumer is polled on this thread (it is not thread-safe). */
    private static ConsumerRecord<String, byte[]> awaitKey(KafkaConsumer<String, byte[]> consumer, String key) {
        return await("a dead letter with key " + key).atMost(WAIT).pollInSameThread()
                .until(() -> firstKeyed(consumer.poll(Duration.ofMillis(200)), key), Optional::isPresent)
                .orElseThrow();
    }

    private static Optional<ConsumerRecord<String, byte[]>> firstKeyed(ConsumerRecords<String, byte[]> records, String key) {
        for (ConsumerRecord<String, byte[]> r : records) {
            if (key.equals(r.key())) {
                return Optional.of(r);
            }
        }
        return Optional.empty();
    }
}
