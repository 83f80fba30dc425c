package dev.runway.testsupport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeTopicsOptions;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.config.SaslConfigs;
import org.apache.kafka.common.errors.GroupAuthorizationException;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The backbone authenticates and authorises (issue 15): the stack's real Kafka takes only SCRAM-authenticated
 * clients and gives each principal exactly what the topic map says; its Redis answers only the orchestrator's user.
 */
class BackboneSecurityTest {

    static final Path TOPIC_MAP = Path.of("..", "schemas", "src", "main", "resources", "runway", "topics.txt");
    static final String COMMANDS = "runway.executor.commands";
    static final String RESULTS = "runway.executor.results";

    /** The map's producer/consumer names -> principal (as stack/bin/KafkaSetup.java reads them). */
    static final Map<String, String> PRINCIPALS = Map.of("orchestrator", "orchestrator", "validator", "validator",
            "executor", "executor", "health-watcher", "health-watcher", "notifier", "notifier",
            "outside subscribers", "runway-subscriber");

    static Backbone backbone;

    @BeforeAll
    static void securedStack() {
        backbone = Backbone.get();
        assertTrue(backbone.kafkaSecured(), "these checks need the stack's SASL Kafka; the containers backbone runs Kafka"
                + " without authentication (RUNWAY_BACKBONE=stack, ./runway test)");
    }

    @Test
    void theNotifierCannotWriteExecutorCommands() {
        Map<String, Object> config = backbone.kafkaClient("notifier");
        config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "10000");
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(config, new ByteArraySerializer(), new ByteArraySerializer())) {
            ExecutionException refused = assertThrows(ExecutionException.class, () -> producer
                    .send(new ProducerRecord<>(COMMANDS, "k".getBytes(StandardCharsets.UTF_8), "DeployGreen?".getBytes(StandardCharsets.UTF_8)))
                    .get(20, TimeUnit.SECONDS));
            TopicAuthorizationException cause = assertInstanceOf(TopicAuthorizationException.class, refused.getCause());
            assertEquals(Set.of(COMMANDS), cause.unauthorizedTopics());
        }
    }

    @Test
    void onlyTheOrchestratorReadsExecutorResults() {
        for (String intruder : List.of("notifier", "validator", "executor", "runway-subscriber")) {
            try (KafkaConsumer<byte[], byte[]> consumer = consumer(intruder, null)) {
                consumer.assign(List.of(new TopicPartition(RESULTS, 0)));
                consumer.seekToBeginning(consumer.assignment());
                TopicAuthorizationException refused = assertThrows(TopicAuthorizationException.class,
                        () -> consumer.poll(Duration.ofSeconds(10)), intruder + " read " + RESULTS);
                assertEquals(Set.of(RESULTS), refused.unauthorizedTopics());
            }
        }
        // The orchestrator does, in a group of its own prefix (a test group, so no service loses partitions)...
        try (KafkaConsumer<byte[], byte[]> consumer = consumer("orchestrator", "orchestrator-acl-test-" + UUID.randomUUID())) {
            consumer.subscribe(List.of(RESULTS));
            Awaitility.await("the orchestrator's partitions of " + RESULTS).atMost(Duration.ofSeconds(30)).pollInSameThread()
                    .pollInterval(Duration.ofMillis(1)).until(() -> {
                        consumer.poll(Duration.ofMillis(200));
                        return !consumer.assignment().isEmpty();
                    });
        }
        // ...but not in another service's group.
        try (KafkaConsumer<byte[], byte[]> consumer = consumer("orchestrator", "runway-notifier-acl-test-" + UUID.randomUUID())) {
            consumer.subscribe(List.of(RESULTS));
            assertThrows(GroupAuthorizationException.class, () -> consumer.poll(Duration.ofSeconds(10)));
        }
    }

    @Test
    void everyPrincipalMayWriteAndReadExactlyWhatTheTopicMapSays() throws Exception {
        Map<String, Map<String, Set<AclOperation>>> expected = new TreeMap<>();
        List<String> topics = new ArrayList<>();
        for (String line : Files.readAllLines(TOPIC_MAP)) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            String[] cols = line.split("\\|");
            String topic = cols[0].trim();
            topics.add(topic);
            PRINCIPALS.values().forEach(p -> expected.computeIfAbsent(p, x -> new TreeMap<>()).put(topic, new TreeSet<>()));
            grant(expected, cols[2], topic, AclOperation.WRITE);
            grant(expected, cols[3], topic, AclOperation.READ);
        }
        Map<String, Map<String, Set<AclOperation>>> actual = new TreeMap<>();
        for (String principal : expected.keySet()) {
            Map<String, Set<AclOperation>> granted = new TreeMap<>();
            try (Admin admin = Admin.create(backbone.kafkaClient(principal))) {
                for (String topic : topics) {
                    Set<AclOperation> ops = new TreeSet<>();
                    try {
                        TopicDescription description = admin.describeTopics(List.of(topic),
                                new DescribeTopicsOptions().includeAuthorizedOperations(true)).allTopicNames().get(20, TimeUnit.SECONDS).get(topic);
                        description.authorizedOperations().stream()
                                .filter(op -> op == AclOperation.WRITE || op == AclOperation.READ).forEach(ops::add);
                    } catch (ExecutionException e) {
                        // Neither READ nor WRITE implies DESCRIBE: the topic's existence is not even shown.
                        assertInstanceOf(TopicAuthorizationException.class, e.getCause(), principal + " on " + topic);
                    }
                    granted.put(topic, ops);
                }
            }
            actual.put(principal, granted);
        }
        assertEquals(expected, actual);
        assertTrue(actual.get("runway-subscriber").values().stream().allMatch(ops -> !ops.contains(AclOperation.WRITE)),
                "outside subscribers only read");
    }

    @Test
    void aClientWithoutCredentialsIsRefused() {
        Map<String, Object> anonymous = new HashMap<>();
        anonymous.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, backbone.kafkaBootstrap());
        anonymous.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "5000");
        anonymous.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "4000");
        try (Admin admin = Admin.create(anonymous)) {
            // A plaintext client never gets past the SASL listener: the broker drops it, the call times out.
            ExecutionException refused = assertThrows(ExecutionException.class, () -> admin.listTopics().names().get(30, TimeUnit.SECONDS));
            assertInstanceOf(TimeoutException.class, refused.getCause());
        }
        Map<String, Object> wrongPassword = backbone.kafkaClient("orchestrator");
        wrongPassword.put(SaslConfigs.SASL_JAAS_CONFIG, Backbone.scramJaas("orchestrator", "not-the-password"));
        wrongPassword.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "10000");
        wrongPassword.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "5000");
        try (Admin admin = Admin.create(wrongPassword)) {
            ExecutionException refused = assertThrows(ExecutionException.class, () -> admin.listTopics().names().get(30, TimeUnit.SECONDS));
            assertInstanceOf(SaslAuthenticationException.class, refused.getCause());
        }
    }

    @Test
    void redisRefusesTheLockCommandsWithoutTheOrchestratorsPassword() throws IOException {
        URI redis = URI.create(backbone.redisUrl());
        String[] user = redis.getUserInfo() == null ? new String[] { "", "" } : redis.getUserInfo().split(":", 2);
        assertEquals("orchestrator", user[0], "RUNWAY_REDIS_URL names the orchestrator's Redis user");
        String key = "runway-acl-test-" + UUID.randomUUID();
        // The shape of EnvironmentLock's acquire: a script that takes a key and bumps a fencing token.
        String acquire = "redis.call('SET', KEYS[1], ARGV[1], 'PX', 10000) return redis.call('INCR', KEYS[1] .. ':fence')";
        try (Socket socket = new Socket(redis.getHost(), redis.getPort())) {
            socket.setSoTimeout(5_000);
            assertTrue(command(socket, "EVAL", acquire, "1", key, "holder").startsWith("-NOAUTH"), "no AUTH, no lock");
            assertTrue(command(socket, "GET", key).startsWith("-NOAUTH"));
            assertTrue(command(socket, "AUTH", "orchestrator", "not-the-password").startsWith("-WRONGPASS"));
            assertTrue(command(socket, "AUTH", "default", "").startsWith("-WRONGPASS"), "the default user is off");
            assertTrue(command(socket, "EVAL", acquire, "1", key, "holder").startsWith("-NOAUTH"));

            assertEquals("+OK", command(socket, "AUTH", user[0], user[1]));
            assertEquals(":1", command(socket, "EVAL", acquire, "1", key, "holder"));
            assertTrue(command(socket, "CONFIG", "GET", "requirepass").startsWith("-NOPERM"), "the orchestrator does not administer Redis");
            assertEquals(":2", command(socket, "DEL", key, key + ":fence"));
        }
    }

    private static void grant(Map<String, Map<String, Set<AclOperation>>> expected, String column, String topic, AclOperation op) {
        for (String name : column.split(",")) {
            String principal = PRINCIPALS.get(name.trim());
            if (principal != null) {
                expected.get(principal).get(topic).add(op);
            }
        }
    }

    private static KafkaConsumer<byte[], byte[]> consumer(String principal, String group) {
        Map<String, Object> config = backbone.kafkaClient(principal);
        if (group != null) {
            config.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        }
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest");
        return new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    /** One RESP command; the first line of the answer (+OK, :1, -NOAUTH ..., $n for a bulk string). */
    private static String command(Socket socket, String... args) throws IOException {
        StringBuilder request = new StringBuilder("*" + args.length + "\r\n");
        for (String arg : args) {
            request.append('$').append(arg.getBytes(StandardCharsets.UTF_8).length).append("\r\n").append(arg).append("\r\n");
        }
        OutputStream out = socket.getOutputStream();
        out.write(request.toString().getBytes(StandardCharsets.UTF_8));
        out.flush();
        InputStream in = socket.getInputStream();
        StringBuilder line = new StringBuilder();
        int c;
        while ((c = in.read()) != -1 && c != '\n') {
            if (c != '\r') {
                line.append((char) c);
            }
        }
        String answer = line.toString();
        assertFalse(answer.isEmpty(), "Redis closed the connection after " + args[0]);
        return answer;
    }
}
