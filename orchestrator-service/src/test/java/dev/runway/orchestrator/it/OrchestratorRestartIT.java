package dev.runway.orchestrator.it;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.extension.TestWatcher;

import dev.runway.events.DeployGreen;
import dev.runway.events.DeployRequested;
import dev.runway.events.Envelopes;
import dev.runway.events.EventHeader;
import dev.runway.events.StopWatch;
import dev.runway.events.Topics;
import dev.runway.orchestrator.support.Manifests;
import dev.runway.orchestrator.support.Participants;
import dev.runway.orchestrator.support.Waits;
import dev.runway.testsupport.Backbone;
import dev.runway.testsupport.Tokens;
import io.restassured.path.json.JsonPath;

/**
 * The packaged orchestrator, killed with SIGKILL mid-saga and started again as a new process on
 * the same database, consumer group and Redis prefix: the saga resumes from Postgres, the reply
 * that arrived while it was down is applied once, the outbox issues every command exactly once
 * (a re-publish of the same event id by the at-least-once relay is allowed, a second command
 * for a step is not), and the fencing token never goes down. The validator, executor and
 * health-watcher are played by the test on the real broker.
 */
class OrchestratorRestartIT {

    private static final String DEPLOYER = Tokens.bearer("dana", "deployer");
    private static final List<String> BLUE_GREEN_WITH_DATABASE = List.of("validate", "backup-database", "apply-migrations",
            "deploy-green", "verify-green", "shift-traffic", "monitor", "promote-green");

    private OrchestratorProcess orchestrator;
    private Participants participants;

    @RegisterExtension
    final TestWatcher tails = new TestWatcher() {
        @Override
        public void testFailed(ExtensionContext context, Throwable cause) {
            if (orchestrator != null) {
                System.err.println(orchestrator.tails());
            }
        }
    };

    @BeforeEach
    void listen() {
        participants = new Participants();
    }

    @AfterEach
    void stop() {
        participants.close();
        if (orchestrator != null) {
            orchestrator.close();
            orchestrator.dropDatabase();
        }
    }

    private OrchestratorProcess orchestrator(String name, Duration lease) {
        orchestrator = new OrchestratorProcess(name, UUID.randomUUID().toString().substring(0, 8), lease);
        orchestrator.createDatabase();
        orchestrator.commitGroupAtEnd();
        return orchestrator;
    }

    @Test
    void killedMidSagaResumesAfterRestartWithEveryCommandIssuedOnce() {
        OrchestratorProcess service = orchestrator("mid-saga", Duration.ofSeconds(4));
        service.start(Map.of());
        String project = project();
        String id = service.post(project, Manifests.of(project, true, "strategy: blue-green"));

        DeployGreen deploy = (DeployGreen) participants.answerUntil(id, "deploy-green");
        long tokenBefore = deploy.getFencingToken();
        assertTrue(tokenBefore > 0);
        assertEquals("DEPLOYING", get(id).getString("state"));

        service.kill();
        Instant killedAt = Instant.now();
        assertFalse(service.alive());
        // The executor finishes its work while the orchestrator is dead: the reply waits in Kafka.
        participants.send(Participants.success(deploy));
        // Stay down past the lease, so the restart must recover the project environment lock.
        String lockKey = service.keyPrefix() + ":pe:" + project + ":staging:lock";
        Waits.await("the lease of the killed orchestrator expiring").atMost(service.lease().plusSeconds(10))
                .pollInterval(Duration.ofMillis(200)).until(() -> redisGet(lockKey) == null);
        assertNull(redisGet(lockKey), "the lease of the killed orchestrator expired while it was down");

        service.start(Map.of());
        participants.answerUntil(id, null);
        JsonPath done = awaitState(service, id, "SUCCEEDED");

        Map<String, Set<String>> commands = participants.commandEventIds(id);
        assertEquals(BLUE_GREEN_WITH_DATABASE, List.copyOf(commands.keySet()), "every step commanded, in order");
        commands.forEach((step, eventIds) -> assertEquals(1, eventIds.size(),
                step + " was commanded more than once (distinct event ids " + eventIds + ")"));
        assertEquals(List.of("validate", "lock", "backup-database", "apply-migrations", "deploy-green", "verify-green",
                "shift-traffic", "monitor", "promote-green", "release-lock"), done.getList("steps.name"));
        assertTrue(done.getList("steps.status").stream().allMatch("COMPLETED"::equals), done.prettify());

        // The reply sent while the orchestrator was down was applied, once.
        List<Map<String, Object>> events = done.getList("events");
        assertEquals(1, events.stream().filter(e -> "reply".equals(e.get("action"))
                && String.valueOf(e.get("detail")).startsWith("GreenDeployed for deploy-green")).count(), events.toString());

        // Fencing: the lease expired while the service was down, so it was re-acquired with a
        // higher token, and no command after the restart carries a lower one.
        List<Map<String, Object>> recovered = events.stream().filter(e -> "lock-recovered".equals(e.get("action"))
                && Instant.parse((String) e.get("at")).isAfter(killedAt)).toList();
        assertEquals(1, recovered.size(), events.toString());
        long tokenAfter = done.getLong("fencingToken");
        assertTrue(tokenAfter > tokenBefore, "token after recovery " + tokenAfter + " > " + tokenBefore);
        assertTrue(String.valueOf(recovered.get(0).get("detail")).contains("fencing token " + tokenAfter + " (was " + tokenBefore + ")"),
                recovered.toString());
        List<Long> tokens = fencingTokens(id);
        for (int i = 1; i < tokens.size(); i++) {
            assertTrue(tokens.get(i) >= tokens.get(i - 1), "fencing tokens never go down: " + tokens);
        }
        assertTrue(tokens.get(tokens.size() - 1) >= tokenBefore, tokens.toString());
        System.out.printf("restart IT: commands %s, raw copies %d, fencing tokens %s, recovered: %s%n", commands.keySet(),
                commandCopies(id), tokens, recovered.get(0).get("detail"));
    }

    @Test
    void killedRightAfterThePostTheOutboxDeliversTheRequestAfterRestart() {
        OrchestratorProcess service = orchestrator("after-post", Duration.ofSeconds(30));
        // The validator's topic is unreachable for this first run (a broker outage for that
        // producer): the POST commits, the relay cannot publish, and the process dies so.
        String unreachable = "mp.messaging.outgoing.\"" + Topics.VALIDATION_REQUESTS + "\".";
        Map<String, String> outage = new HashMap<>();
        outage.put(unreachable + "bootstrap.servers", "127.0.0.1:" + OrchestratorProcess.freePort());
        outage.put(unreachable + "max.block.ms", "1000");
        outage.put(unreachable + "health-enabled", "false");
        service.start(outage);
        String project = project();
        String id = service.post(project, Manifests.of(project, false, "strategy: blue-green"));

        assertEquals(List.of(), participants.commandsDuring(id, Duration.ofSeconds(3)), "nothing reached the validator");
        List<Map<String, Object>> rows = PgAdmin.query(Backbone.get(), service.jdbcUrl(),
                "select event_id, published_at from outbox where message_key = ? and topic = ?", id, Topics.VALIDATION_REQUESTS);
        assertEquals(1, rows.size(), rows.toString());
        assertNull(rows.get(0).get("published_at"), "the DeployRequested is committed in the outbox, not published");
        String eventId = (String) rows.get(0).get("event_id");

        service.kill();
        service.start(Map.of());

        DeployRequested request = participants.next(id, DeployRequested.class);
        assertEquals(eventId, request.getHeader().getEventId(), "the outbox row itself was delivered");
        participants.send(Participants.success(request));
        participants.answerUntil(id, null);
        awaitState(service, id, "SUCCEEDED");
        Map<String, Set<String>> commands = participants.commandEventIds(id);
        assertEquals(List.of("validate", "deploy-green", "verify-green", "shift-traffic", "monitor", "promote-green"),
                List.copyOf(commands.keySet()));
        commands.forEach((step, eventIds) -> assertEquals(1, eventIds.size(), step + " commanded twice: " + eventIds));
        // SRMSG18206: the first run's relay did try, and the broker refused it.
        assertTrue(service.logged("SRMSG18206: Unable to write to Kafka from channel " + Topics.VALIDATION_REQUESTS),
                "the first run tried to publish and failed");
    }

    // ---- helpers -----------------------------------------------------------------------------------

    static String project() {
        return "p" + UUID.randomUUID().toString().substring(0, 8);
    }

    private JsonPath get(String id) {
        return given().baseUri(orchestrator.baseUrl()).header("Authorization", DEPLOYER).when().get("/deployments/" + id)
                .then().statusCode(200).extract().jsonPath();
    }

    private JsonPath awaitState(OrchestratorProcess service, String id, String state) {
        return Waits.untilState(id, state, Duration.ofSeconds(60), () -> get(id));
    }

    /** How many command records arrived in all, re-publications of the same event id included. */
    private long commandCopies(String id) {
        return participants.records(id).stream().filter(r -> Participants.isCommand(r) && !(r instanceof StopWatch)).count();
    }

    /** Fencing tokens of the executor commands, in arrival order (one per distinct event). */
    private List<Long> fencingTokens(String id) {
        List<Long> tokens = new ArrayList<>();
        Set<String> seen = new LinkedHashSet<>();
        for (SpecificRecord r : participants.records(id)) {
            EventHeader h = Envelopes.headerOf(r);
            var field = r.getSchema().getField("fencingToken");
            if (field != null && Participants.isCommand(r) && seen.add(h.getEventId())) {
                tokens.add((Long) r.get(field.pos()));
            }
        }
        return tokens;
    }

    /** GET over RESP, to look at the lock key without a client library: null when absent. */
    private static String redisGet(String key) {
        URI redis = URI.create(Backbone.get().redisUrl());
        try (Socket socket = new Socket(redis.getHost(), redis.getPort() < 0 ? 6379 : redis.getPort())) {
            socket.setSoTimeout(5_000);
            byte[] k = key.getBytes(StandardCharsets.UTF_8);
            OutputStream out = socket.getOutputStream();
            InputStream in = socket.getInputStream();
            // The stack's Redis knows only the orchestrator's user (redis://user:password@host:port).
            if (redis.getUserInfo() != null) {
                String[] user = redis.getUserInfo().split(":", 2);
                out.write(("*3\r\n$4\r\nAUTH\r\n$" + user[0].length() + "\r\n" + user[0] + "\r\n$" + user[1].length() + "\r\n"
                        + user[1] + "\r\n").getBytes(StandardCharsets.UTF_8));
                String auth = line(in);
                if (!auth.startsWith("+OK")) {
                    throw new IllegalStateException("Redis refused the orchestrator's user: " + auth);
                }
            }
            out.write(("*2\r\n$3\r\nGET\r\n$" + k.length + "\r\n").getBytes(StandardCharsets.UTF_8));
            out.write(k);
            out.write("\r\n".getBytes(StandardCharsets.UTF_8));
            out.flush();
            String head = line(in);
            if (head.startsWith("$-1")) {
                return null;
            }
            if (!head.startsWith("$")) {
                throw new IllegalStateException("unexpected Redis answer " + head);
            }
            return line(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String line(InputStream in) throws IOException {
        StringBuilder s = new StringBuilder();
        int c;
        while ((c = in.read()) != -1 && c != '\n') {
            if (c != '\r') {
                s.append((char) c);
            }
        }
        return s.toString();
    }
}
