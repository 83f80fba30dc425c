package dev.runway.executor.commands;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.UUID;
import java.util.stream.Stream;

import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.runway.events.BackupDatabase;
import dev.runway.events.ComponentSpec;
import dev.runway.events.DatabaseBackedUp;
import dev.runway.events.DeployGreen;
import dev.runway.events.Environment;
import dev.runway.events.EventHeader;
import dev.runway.events.GreenDeployed;
import dev.runway.events.GreenRemoved;
import dev.runway.events.RemoveGreen;
import dev.runway.events.ShiftTraffic;
import dev.runway.events.StepFailed;
import dev.runway.events.StepProgress;
import dev.runway.events.Strategy;
import dev.runway.events.TargetKind;
import dev.runway.events.Topics;
import dev.runway.executor.support.ClientDatabases;
import dev.runway.executor.support.CommandBus;
import dev.runway.executor.support.ExecutorTestResource;
import dev.runway.executor.support.FencingTokens;
import dev.runway.executor.support.Repos;
import dev.runway.messaging.inbound.DeadLetter;
import dev.runway.messaging.inbound.PoisonRecordException;
import dev.runway.testsupport.ApiSecurityWalker;
import dev.runway.testsupport.AvroKafka;
import dev.runway.testsupport.Backbone;
import dev.runway.testsupport.Tokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

/** Idempotency, fencing, dead letters and dry runs, through the real broker, registry and Postgres. */
@QuarkusTest
@QuarkusTestResource(ExecutorTestResource.class)
class CommandHandlingTest {

    static final Duration WAIT = Duration.ofSeconds(60);
    static final Path BACKUPS = ExecutorTestResource.STATE.resolve("backups").resolve("staging");

    CommandBus bus;
    String project;
    String deploymentId;

    @BeforeEach
    void setUp() throws Exception {
        bus = new CommandBus();
        project = ClientDatabases.newProject();
        deploymentId = UUID.randomUUID().toString();
        ClientDatabases.create(project);
    }

    @AfterEach
    void tearDown() throws Exception {
        ClientDatabases.drop(project);
        if (bus != null) {
            bus.close();
        }
    }

    EventHeader header(Environment env) {
        return CommandBus.header(deploymentId, env, project);
    }

    List<Path> backupsOfProject() throws Exception {
        if (!Files.isDirectory(BACKUPS)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(BACKUPS)) {
            return files.filter(f -> f.getFileName().toString().contains(ClientDatabases.databaseOf(project))).toList();
        }
    }

    @Test
    void shouldReplayTheRecordedReplyOfARedeliveredCommandWithoutASecondSideEffect() throws Exception {
        BackupDatabase command = BackupDatabase.newBuilder().setHeader(header(Environment.STAGING)).setStep("backup-database")
                .setFencingToken(FencingTokens.next()).build();
        bus.send(command);
        bus.send(command);

        List<SpecificRecord> replies = bus.replies(command.getHeader().getEventId(), 2, WAIT);
        DatabaseBackedUp first = assertInstanceOf(DatabaseBackedUp.class, replies.get(0));
        assertEquals(first, replies.get(1), "the same reply, same event id, replayed from the command log");
        assertEquals(command.getHeader().getEventId(), first.getHeader().getCausationId());
        assertEquals(command.getHeader().getCorrelationId(), first.getHeader().getCorrelationId());
        assertNotEquals(command.getHeader().getEventId(), first.getHeader().getEventId());
        assertEquals("backup-database", first.getStep());
        assertEquals(1, backupsOfProject().size(), "one pg_dump, not two");
        Files.deleteIfExists(Path.of(first.getLocation()));
    }

    @Test
    void shouldRejectAStaleFencingTokenBeforeAnySideEffect() throws Exception {
        long newest = FencingTokens.next();
        // Any command raises the environment's newest token, even one that then fails.
        StepFailed notDeployed = assertInstanceOf(StepFailed.class, bus.call(ShiftTraffic.newBuilder().setHeader(header(Environment.STAGING))
                .setStep("shift-traffic-10").setFencingToken(newest).setVersion("1").setPercent(10).setComponents(List.of("web")).build(), WAIT));
        assertEquals("NOT_DEPLOYED", notDeployed.getCode());

        StepFailed stale = assertInstanceOf(StepFailed.class, bus.call(BackupDatabase.newBuilder().setHeader(header(Environment.STAGING))
                .setStep("backup-database").setFencingToken(newest - 1).build(), WAIT));
        assertEquals("STALE_LOCK", stale.getCode());
        assertFalse(stale.getRetryable());
        assertTrue(stale.getReason().contains(Long.toString(newest)), stale.getReason());
        assertEquals(List.of(), backupsOfProject(), "a stale command changes nothing");

        DatabaseBackedUp sameHolder = assertInstanceOf(DatabaseBackedUp.class, bus.call(BackupDatabase.newBuilder()
                .setHeader(header(Environment.STAGING)).setStep("backup-database").setFencingToken(newest).build(), WAIT));
        assertTrue(sameHolder.getVerified(), "the current holder's token (equal to the newest) is accepted");
        Files.deleteIfExists(Path.of(sameHolder.getLocation()));
    }

    @Test
    void shouldFenceEachProjectEnvironmentOnItsOwn() throws Exception {
        String other = ClientDatabases.newProject();
        long mine = FencingTokens.next();
        long theirs = FencingTokens.next() + 1_000_000;
        // Project B holds staging's lock with a much higher token than project A's...
        StepFailed b = assertInstanceOf(StepFailed.class, bus.call(ShiftTraffic.newBuilder()
                .setHeader(CommandBus.header(UUID.randomUUID().toString(), Environment.STAGING, other)).setStep("shift-traffic-10")
                .setFencingToken(theirs).setVersion("1").setPercent(10).setComponents(List.of("web")).build(), WAIT));
        assertEquals("NOT_DEPLOYED", b.getCode());
        // ...which does not make A's lock stale: A's own sequence counts.
        StepFailed a = assertInstanceOf(StepFailed.class, bus.call(ShiftTraffic.newBuilder().setHeader(header(Environment.STAGING))
                .setStep("shift-traffic-10").setFencingToken(mine).setVersion("1").setPercent(10).setComponents(List.of("web")).build(), WAIT));
        assertEquals("NOT_DEPLOYED", a.getCode(), "B's higher token does not fence A: " + a.getReason());

        StepFailed stale = assertInstanceOf(StepFailed.class, bus.call(BackupDatabase.newBuilder().setHeader(header(Environment.STAGING))
                .setStep("backup-database").setFencingToken(mine - 1).build(), WAIT));
        assertEquals("STALE_LOCK", stale.getCode(), "A's stale token is refused although B's is higher still");
        assertTrue(stale.getReason().contains(Long.toString(mine)) && stale.getReason().contains(project), stale.getReason());
        assertEquals(List.of(), backupsOfProject());

        // A dry run is a plan, not an act of a lock holder: never compared with the real tokens.
        DatabaseBackedUp planned = assertInstanceOf(DatabaseBackedUp.class, bus.call(BackupDatabase.newBuilder()
                .setHeader(header(Environment.STAGING)).setStep("backup-database").setFencingToken(1).setDryRun(true).build(), WAIT));
        assertFalse(planned.getVerified(), "planned, not done");
        assertEquals(List.of(), backupsOfProject(), "a dry run changes nothing");
        // ...and does not lower or raise anything: the holder's token still passes.
        DatabaseBackedUp real = assertInstanceOf(DatabaseBackedUp.class, bus.call(BackupDatabase.newBuilder()
                .setHeader(header(Environment.STAGING)).setStep("backup-database").setFencingToken(mine).build(), WAIT));
        assertTrue(real.getVerified());
        Files.deleteIfExists(Path.of(real.getLocation()));
    }

    @Test
    void shouldDeadLetterUndecodableRecordsWithTheReason() throws Exception {
        Backbone b = Backbone.get();
        String garbageKey = UUID.randomUUID().toString();
        String wrongTypeKey = UUID.randomUUID().toString();
        try (KafkaConsumer<String, byte[]> dlq = dlqConsumer(b);
                KafkaProducer<String, byte[]> raw = rawProducer(b);
                KafkaProducer<String, Object> avro = AvroKafka.producer(b)) {
            raw.send(new ProducerRecord<>(Topics.EXECUTOR_COMMANDS, garbageKey, "{\"not\":\"avro\"}".getBytes(StandardCharsets.UTF_8))).get();
            EventHeader h = CommandBus.header(wrongTypeKey, Environment.STAGING, project);
            AvroKafka.send(avro, Topics.EXECUTOR_COMMANDS, wrongTypeKey, GreenRemoved.newBuilder().setHeader(h).setStep("x").setSlot("blue").build());

            ConsumerRecord<String, byte[]> garbage = awaitKey(dlq, garbageKey);
            assertEquals("{\"not\":\"avro\"}", new String(garbage.value(), StandardCharsets.UTF_8), "the original bytes are kept");
            assertTrue(header(garbage, DeadLetter.REASON).startsWith("undecodable record"), header(garbage, DeadLetter.REASON));
            assertEquals(Topics.EXECUTOR_COMMANDS, header(garbage, DeadLetter.TOPIC));
            assertEquals(PoisonRecordException.class.getName(), header(garbage, DeadLetter.EXCEPTION_CLASS_NAME), "poison: dead-lettered at once");
            assertNotNull(header(garbage, DeadLetter.PARTITION));
            assertNotNull(header(garbage, DeadLetter.OFFSET));
            ConsumerRecord<String, byte[]> wrongType = awaitKey(dlq, wrongTypeKey);
            assertTrue(header(wrongType, DeadLetter.REASON).contains("GreenRemoved is not an executor command"), header(wrongType, DeadLetter.REASON));
            assertEquals(PoisonRecordException.class.getName(), header(wrongType, DeadLetter.EXCEPTION_CLASS_NAME));
        }
    }

    @Test
    void shouldAnswerAnOldCommandExpiredWithoutCarryingItOut() throws Exception {
        // A consumer group that starts on a topic's old records (or an executor back after a long outage)
        // must not deploy what a saga asked for long ago.
        EventHeader old = header(Environment.DEVELOPMENT);
        old.setOccurredAt(Instant.now().minus(Duration.ofMinutes(11)));
        String component = "old" + UUID.randomUUID().toString().substring(0, 6);
        DeployGreen command = DeployGreen.newBuilder().setHeader(old).setStep("deploy-green").setFencingToken(FencingTokens.next())
                .setVersion("4.2.0").setTarget(TargetKind.HOST).setStrategy(Strategy.BLUE_GREEN)
                .setComponents(List.of(ComponentSpec.newBuilder().setName(component)
                        .setArtifact("java examples/demo-app/DemoApp.java").setHealthcheck("/health").build()))
                .build();
        StepFailed expired = assertInstanceOf(StepFailed.class, bus.call(command, WAIT));
        assertEquals("EXPIRED", expired.getCode());
        assertFalse(expired.getRetryable());
        assertTrue(expired.getReason().contains("more than the 600 s"), expired.getReason());
        assertFalse(Files.exists(ExecutorTestResource.STATE.resolve("slots").resolve("development").resolve(project).resolve(component + ".json")),
                "nothing was started");
        given().header("Authorization", Tokens.sre()).get("/commands/" + old.getEventId()).then().statusCode(404);
    }

    @Test
    void shouldCarryOutACompensationHoweverOldItIs() throws Exception {
        // A saga undoing a deployment needs the undo whenever it arrives; fencing and the command log keep an old one harmless.
        EventHeader old = header(Environment.DEVELOPMENT);
        old.setOccurredAt(Instant.now().minus(Duration.ofMinutes(11)));
        String component = "undo" + UUID.randomUUID().toString().substring(0, 6);
        RemoveGreen command = RemoveGreen.newBuilder().setHeader(old).setStep("undo-deploy-green").setFencingToken(FencingTokens.next())
                .setComponents(List.of(component)).build();
        // Nothing of this component was ever deployed: the answer of a removal that was planned against this host's
        // slots, where a forward command of the same age is answered EXPIRED without looking.
        StepFailed planned = assertInstanceOf(StepFailed.class, bus.call(command, WAIT));
        assertEquals("NOT_DEPLOYED", planned.getCode(), planned.getReason());
        assertTrue(planned.getReason().contains(component), planned.getReason());
        given().header("Authorization", Tokens.sre()).get("/commands/" + old.getEventId()).then().statusCode(200)
                .body("status", equalTo("FINISHED")).body("reply", equalTo("StepFailed"));
    }

    @Test
    void shouldReturnTheExactPlanOfADryRunAndChangeNothing() throws Exception {
        DeployGreen command = DeployGreen.newBuilder().setHeader(header(Environment.DEVELOPMENT)).setStep("deploy-green")
                .setFencingToken(FencingTokens.next()).setDryRun(true).setVersion("4.2.0").setTarget(TargetKind.HOST).setStrategy(Strategy.BLUE_GREEN)
                .setRepository(Repos.demoApp().commit("dry run"))
                .setComponents(List.of(ComponentSpec.newBuilder().setName("dry" + UUID.randomUUID().toString().substring(0, 6))
                        .setArtifact("java examples/demo-app/DemoApp.java").setHealthcheck("/health").build()))
                .build();
        String component = command.getComponents().get(0).getName();
        GreenDeployed planned = assertInstanceOf(GreenDeployed.class, bus.call(command, WAIT));
        assertEquals("4.2.0", planned.getVersion());

        List<String> plan = bus.progress(command.getHeader().getEventId()).stream().map(StepProgress::getMessage).toList();
        assertEquals(3, plan.size(), plan.toString());
        assertTrue(plan.get(0).contains("record " + component + " blue as this deployment's candidate"), plan.get(0));
        assertTrue(plan.get(1).contains("start `java examples/demo-app/DemoApp.java` as " + component + " 4.2.0 in slot blue"), plan.get(0));
        assertTrue(plan.get(2).contains("/health answers 200"), plan.get(2));
        assertFalse(Files.exists(ExecutorTestResource.STATE.resolve("pids").resolve("development-" + project + "-" + component + "-blue.pid")));
        assertFalse(Files.exists(ExecutorTestResource.STATE.resolve("slots").resolve("development").resolve(project).resolve(component + ".json")),
                "a dry run changes nothing");

        given().header("Authorization", Tokens.sre()).get("/commands/" + command.getHeader().getEventId()).then().statusCode(200)
                .body("status", equalTo("FINISHED"))
                .body("type", equalTo("DeployGreen"))
                .body("plan[0]", equalTo("dry run"))
                .body("plan", hasItem(containsString("start `java examples/demo-app/DemoApp.java`")))
                .body("reply", equalTo("GreenDeployed"));
        given().header("Authorization", Tokens.sre()).get("/commands/" + UUID.randomUUID()).then().statusCode(404).contentType("application/problem+json");
    }

    @Test
    void shouldShowACommandOnlyToTokensOfItsProject() throws Exception {
        String client = "ex-" + UUID.randomUUID().toString().substring(0, 8);
        EventHeader ofClient = header(Environment.DEVELOPMENT);
        ofClient.setClient(client);
        assertInstanceOf(GreenDeployed.class, bus.call(dryRun(ofClient), WAIT));
        String id = ofClient.getEventId();
        // Every operation of the executor's OpenAPI document: 401 without a token, 403 for other roles, 404 for other clients.
        List<String> walked = ApiSecurityWalker.covering(client + "/" + project, "someone-else/*", id).path("commandId", id).walk();
        assertEquals(List.of("GET /commands/{commandId}"), walked);

        // A command whose header names no client is shown to agency-wide tokens only.
        EventHeader noClient = header(Environment.DEVELOPMENT);
        assertInstanceOf(GreenDeployed.class, bus.call(dryRun(noClient), WAIT));
        given().header("Authorization", Tokens.scoped("ann", List.of(client + "/*"), "viewer")).get("/commands/" + noClient.getEventId())
                .then().statusCode(404).contentType("application/problem+json");
        given().header("Authorization", Tokens.bearer("sam", "viewer")).get("/commands/" + noClient.getEventId())
                .then().statusCode(200).body("commandId", equalTo(noClient.getEventId()));
        given().header("Authorization", Tokens.scoped("ann", List.of(client + "/*"), "viewer")).get("/commands/" + id)
                .then().statusCode(200).body("type", equalTo("DeployGreen"));
        given().get("/commands/" + id).then().statusCode(401).contentType("application/problem+json")
                .header("WWW-Authenticate", "Bearer");
    }

    private static DeployGreen dryRun(EventHeader header) {
        return DeployGreen.newBuilder().setHeader(header).setStep("deploy-green").setFencingToken(FencingTokens.next()).setDryRun(true)
                .setVersion("4.2.0").setTarget(TargetKind.HOST).setStrategy(Strategy.BLUE_GREEN)
                .setRepository(Repos.demoApp().commit("dry run"))
                .setComponents(List.of(ComponentSpec.newBuilder().setName("scope" + UUID.randomUUID().toString().substring(0, 6))
                        .setArtifact("java examples/demo-app/DemoApp.java").setHealthcheck("/health").build()))
                .build();
    }

    static KafkaConsumer<String, byte[]> dlqConsumer(Backbone b) {
        Properties p = new Properties();
        p.putAll(b.kafkaAdmin());
        p.put("group.id", "executor-dlq-test-" + UUID.randomUUID());
        p.put("auto.offset.reset", "latest");
        p.put("key.deserializer", StringDeserializer.class.getName());
        p.put("value.deserializer", ByteArrayDeserializer.class.getName());
        KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(p);
        consumer.subscribe(List.of(Topics.EXECUTOR_COMMANDS + Topics.DLQ_SUFFIX));
        // A consumer is used by one thread only: Awaitility polls it on this one.
        await("partitions of the dead-letter topic assigned").atMost(Duration.ofSeconds(30)).pollInSameThread().pollInterval(Duration.ofMillis(1))
                .until(() -> {
                    consumer.poll(Duration.ofMillis(100));
                    return !consumer.assignment().isEmpty();
                });
        consumer.seekToEnd(consumer.assignment());
        consumer.assignment().forEach(consumer::position);
        return consumer;
    }

    static KafkaProducer<String, byte[]> rawProducer(Backbone b) {
        Properties p = new Properties();
        p.putAll(b.kafkaAdmin());
        p.put("key.serializer", StringSerializer.class.getName());
        p.put("value.serializer", ByteArraySerializer.class.getName());
        return new KafkaProducer<>(p);
    }

    /** Dead letters read so far: commands are handled concurrently, so they may arrive in any order. */
    static final Map<KafkaConsumer<String, byte[]>, List<ConsumerRecord<String, byte[]>>> READ = new IdentityHashMap<>();

    static ConsumerRecord<String, byte[]> awaitKey(KafkaConsumer<String, byte[]> consumer, String key) {
        List<ConsumerRecord<String, byte[]>> read = READ.computeIfAbsent(consumer, c -> new ArrayList<>());
        return await("a dead letter with key " + key).atMost(WAIT).pollInSameThread().pollInterval(Duration.ofMillis(1))
                .until(() -> {
                    Optional<ConsumerRecord<String, byte[]>> found = read.stream().filter(r -> key.equals(r.key())).findFirst();
                    if (found.isEmpty()) {
                        consumer.poll(Duration.ofMillis(200)).forEach(read::add);
                    }
                    return found;
                }, Optional::isPresent).get();
    }

    static String header(ConsumerRecord<String, byte[]> record, String name) {
        Header h = record.headers().lastHeader(name);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }
}
