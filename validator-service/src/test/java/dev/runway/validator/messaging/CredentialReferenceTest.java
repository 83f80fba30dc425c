package dev.runway.validator.messaging;

import static dev.runway.validator.messaging.ValidationRequestConsumerTest.as;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;

import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.runway.events.DeployRequested;
import dev.runway.events.Environment;
import dev.runway.events.Envelopes;
import dev.runway.events.RepositoryRef;
import dev.runway.events.Strategy;
import dev.runway.events.Topics;
import dev.runway.events.ValidationFailed;
import dev.runway.events.ValidationPassed;
import dev.runway.testsupport.AvroKafka;
import dev.runway.testsupport.Backbone;
import dev.runway.testsupport.BackboneTestResource;
import dev.runway.testsupport.GitHttpServer;
import dev.runway.validator.fixtures.FixtureRepo;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/**
 * Issue 15 item 6: a private repository is read with a credential reference. The request names the credential
 * ({@code acme-git}); the validator resolves it from its own configuration and gives it to JGit, whose clone of a
 * server that answers only that token passes; the token is in no record on the topics (read back raw) and not in the
 * log. An unknown reference fails validation naming the reference.
 */
@QuarkusTest
@TestProfile(CredentialReferenceTest.PrivateRepositories.class)
@QuarkusTestResource(value = BackboneTestResource.class, initArgs = {
        @ResourceArg(name = "database", value = "runway_validator_test"), @ResourceArg(name = "jdbc", value = "true") })
class CredentialReferenceTest {

    /** A constant: the profile is read in another class loader than the test's, where a random value would differ. */
    static final String TOKEN = "tok-cred-ref-test-7d41c2a9e05b";

    /** The test's http git server runs on 127.0.0.1 (allowed host); http is allowed here for it. */
    public static class PrivateRepositories implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("runway.validator.repositories.allow-schemes", "https,ssh,file,http",
                    "runway.repositories.credentials.acme-git.token", TOKEN);
        }
    }

    static FixtureRepo example;
    static GitHttpServer server;
    static KafkaProducer<String, Object> producer;

    @BeforeAll
    static void serve() throws Exception {
        example = FixtureRepo.released();
        server = GitHttpServer.serve(example.dir(), TOKEN);
        producer = AvroKafka.producer(Backbone.get());
    }

    @AfterAll
    static void stop() {
        server.close();
        producer.close();
        example.close();
    }

    static DeployRequested request(String id, String credential) {
        return DeployRequested.newBuilder()
                .setHeader(Envelopes.first(id, Environment.STAGING, "acme-shop", Clock.systemUTC()))
                .setVersion("1.0.0").setComponents(List.of("all")).setStrategy(Strategy.BLUE_GREEN).setDryRun(false)
                .setRequestedBy("test@acme.example.com")
                .setRepository(RepositoryRef.newBuilder().setUrl(server.url()).setCommit(example.head()).setRef("main")
                        .setCredential(credential).build())
                .setCiEvidence(FixtureRepo.CI_RUN).build();
    }

    @Test
    void aPrivateRepositoryIsReadWithTheReferencedCredentialWhichGoesNowhereElse() throws Exception {
        List<ConsumerRecord<String, byte[]>> published = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> raw = raw(Topics.VALIDATION_REQUESTS, Topics.VALIDATION_RESULTS)) {
            String id = UUID.randomUUID().toString();
            ConsumerRecord<String, Object> answer = answer(request(id, "acme-git"));
            assertEquals(ValidationPassed.class.getName(), ((GenericRecord) answer.value()).getSchema().getFullName(),
                    () -> "answer: " + answer.value());
            ValidationPassed passed = as(answer, ValidationPassed.class);
            assertEquals(0, passed.getReport().getErrors());
            assertEquals("database/migrations", passed.getMigrations().getPath());
            assertTrue(server.requests().stream().anyMatch(r -> r.authorised() && r.path().startsWith("objects/")),
                    "objects were fetched with the credential: " + server.requests());
            assertTrue(server.requests().stream().filter(GitHttpServer.Request::authorised)
                    .allMatch(r -> "x-access-token".equals(r.user())), server.requests().toString());

            String unknown = UUID.randomUUID().toString();
            ValidationFailed refused = as(answer(request(unknown, "globex-git")), ValidationFailed.class);
            String reason = refused.getReport().getChecks().get(0).getMessage();
            assertTrue(reason.contains("repository credential reference 'globex-git' is not configured here"), reason);
            assertEquals("source.readable", refused.getReport().getChecks().get(0).getRuleId());

            String without = UUID.randomUUID().toString();
            ValidationFailed anonymous = as(answer(request(without, null)), ValidationFailed.class);
            String why = anonymous.getReport().getChecks().get(0).getMessage();
            assertTrue(why.contains("could not be cloned"), why);

            for (String key : List.of(id, unknown, without)) {
                Awaitility.await().atMost(Duration.ofSeconds(30)).pollInSameThread().until(() -> {
                    raw.poll(Duration.ofMillis(200)).forEach(published::add);
                    return published.stream().filter(r -> key.equals(r.key())).count() >= 2;
                });
            }
        }
        for (ConsumerRecord<String, byte[]> r : published) {
            assertFalse(new String(r.value(), StandardCharsets.ISO_8859_1).contains(TOKEN), r.topic() + " carries the token");
            r.headers().forEach(h -> assertFalse(new String(h.value(), StandardCharsets.ISO_8859_1).contains(TOKEN), h.key()));
        }
        assertTrue(published.stream().anyMatch(r -> new String(r.value(), StandardCharsets.ISO_8859_1).contains("acme-git")),
                "the reference itself travels");
        assertFalse(Files.readString(Path.of("target/validator-test.log")).contains(TOKEN), "the token was logged");
    }

    /** Sends the request and returns the validator's answer for it, read back from the results topic. */
    static ConsumerRecord<String, Object> answer(DeployRequested request) {
        try (KafkaConsumer<String, Object> results = ValidationRequestConsumerTest.resultsAtEnd()) {
            String id = request.getHeader().getDeploymentId();
            AvroKafka.send(producer, Topics.VALIDATION_REQUESTS, id, request);
            return AvroKafka.await(results, r -> id.equals(r.key()), Duration.ofSeconds(90));
        }
    }

    private static KafkaConsumer<String, byte[]> raw(String... topics) {
        Properties props = new Properties();
        props.putAll(Backbone.get().kafkaAdmin()); // the stack authenticates every client (SASL/SCRAM)
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "test-" + UUID.randomUUID());
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(props);
        List<TopicPartition> partitions = new ArrayList<>();
        for (String topic : topics) {
            consumer.partitionsFor(topic).forEach(p -> partitions.add(new TopicPartition(topic, p.partition())));
        }
        consumer.assign(partitions);
        consumer.seekToEnd(partitions);
        partitions.forEach(consumer::position);
        return consumer;
    }
}
