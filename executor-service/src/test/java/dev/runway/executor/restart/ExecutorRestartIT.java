package dev.runway.executor.restart;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import org.apache.avro.specific.SpecificRecord;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.runway.events.ComponentSpec;
import dev.runway.events.DeployGreen;
import dev.runway.events.Environment;
import dev.runway.events.EventHeader;
import dev.runway.events.GreenRemoved;
import dev.runway.events.RemoveGreen;
import dev.runway.events.ShiftTraffic;
import dev.runway.events.StepFailed;
import dev.runway.events.Strategy;
import dev.runway.events.TargetKind;
import dev.runway.executor.support.ClientDatabases;
import dev.runway.executor.support.CommandBus;
import dev.runway.executor.support.ExecutorProcess;
import dev.runway.executor.support.ExecutorTestResource;
import dev.runway.executor.support.FencingTokens;
import dev.runway.executor.support.Repos;

/**
 * The built executor jar is killed with SIGKILL in the middle of a DeployGreen (its slot process
 * started, health not yet reached). On restart the command is reported as StepFailed INTERRUPTED,
 * a redelivery replays that answer without starting anything again, and the compensation cleans up.
 */
class ExecutorRestartIT {

    static final Path STATE = Path.of("target", "it-state").toAbsolutePath();
    static final Duration WAIT = Duration.ofSeconds(90);
    static final Map<String, String> SETTINGS = Map.of(
            "runway.executor.projects", "exec-it-.*",
            "mp.messaging.incoming.\"runway.executor.commands\".group.id", "runway-executor-it",
            "mp.messaging.incoming.\"runway.executor.commands\".auto.offset.reset", "latest",
            "runway.executor.environments.development.slot-ports", "19300-19349",
            "runway.executor.environments.development.front-ports", "19000-19049",
            "runway.executor.host.health-timeout", "300s");

    CommandBus bus;
    ExecutorProcess executor;
    String project = "exec-it-" + UUID.randomUUID().toString().substring(0, 8);

    @BeforeEach
    void setUp() throws Exception {
        Files.createDirectories(STATE);
        bus = new CommandBus();
    }

    @AfterEach
    void tearDown() throws Exception {
        if (executor != null) {
            executor.close();
        }
        bus.close();
        // Whatever a slot left behind (the `sleep` of the interrupted deploy), by its pid file, as ./runway down does.
        Path pids = STATE.resolve("pids");
        if (Files.isDirectory(pids)) {
            try (var files = Files.list(pids)) {
                for (Path f : files.toList()) {
                    ProcessHandle.of(Long.parseLong(Files.readString(f).strip())).ifPresent(ProcessHandle::destroyForcibly);
                    Files.delete(f);
                }
            }
        }
    }

    EventHeader header(String deploymentId) {
        return CommandBus.header(deploymentId, Environment.DEVELOPMENT, project);
    }

    /** With auto.offset.reset=latest the executor must own its partitions before the real command is sent. */
    void awaitConsuming() {
        // Each try sends a fresh probe and gives it 5 s: partitions may not be assigned yet.
        await("the executor consumes a command").atMost(WAIT).pollInSameThread().pollInterval(Duration.ofMillis(1))
                .ignoreException(ConditionTimeoutException.class).untilAsserted(() -> {
                    ShiftTraffic probe = ShiftTraffic.newBuilder().setHeader(header(UUID.randomUUID().toString())).setStep("probe")
                            .setFencingToken(FencingTokens.next()).setDryRun(true).setVersion("-").setPercent(1).setComponents(List.of("probe")).build();
                    bus.send(probe);
                    bus.reply(probe.getHeader().getEventId(), Duration.ofSeconds(5));
                });
    }

    @Test
    void shouldReportACommandInterruptedByAKillAsFailedAfterRestartAndNeverRunItTwice() throws Exception {
        executor = ExecutorProcess.start(STATE, Path.of("target", "it-executor-1.log"), SETTINGS);
        awaitConsuming();

        String deploymentId = UUID.randomUUID().toString();
        DeployGreen deploy = DeployGreen.newBuilder().setHeader(header(deploymentId)).setStep("deploy-green").setFencingToken(FencingTokens.next())
                .setVersion("6.6.6").setTarget(TargetKind.HOST).setStrategy(Strategy.BLUE_GREEN)
                .setRepository(Repos.create().write("README", "a release that never gets healthy\n").commit("slow"))
                .setComponents(List.of(ComponentSpec.newBuilder().setName("slow").setArtifact("sleep 600").setHealthcheck("/health").build()))
                .build();
        String commandId = deploy.getHeader().getEventId();
        bus.send(deploy);
        awaitStarted(commandId);
        Path pidFile = STATE.resolve("pids").resolve("development-" + project + "-slow-blue.pid");
        awaitFile(pidFile);
        String slotPid = Files.readString(pidFile).strip();

        executor.kill();
        executor = ExecutorProcess.start(STATE, Path.of("target", "it-executor-2.log"), SETTINGS);

        StepFailed interrupted = assertInstanceOf(StepFailed.class, bus.reply(commandId, WAIT));
        assertEquals("INTERRUPTED", interrupted.getCode());
        assertEquals("deploy-green", interrupted.getStep());
        assertTrue(interrupted.getRetryable());
        assertTrue(interrupted.getReason().contains("DeployGreen") && interrupted.getReason().contains("start `sleep 600`"), interrupted.getReason());
        assertEquals(commandId, interrupted.getHeader().getCausationId());

        awaitConsuming();
        bus.send(deploy);
        List<SpecificRecord> both = bus.replies(commandId, 2, WAIT);
        assertEquals(interrupted, both.get(1), "the redelivered command gets the recorded answer");
        assertEquals(slotPid, Files.readString(pidFile).strip(), "nothing was started a second time");

        GreenRemoved removed = assertInstanceOf(GreenRemoved.class, bus.call(RemoveGreen.newBuilder().setHeader(header(deploymentId))
                .setStep("remove-green").setFencingToken(FencingTokens.next()).setComponents(List.of("slow")).build(), WAIT));
        assertEquals("blue", removed.getSlot());
        assertFalse(Files.exists(pidFile));
        assertTrue(ProcessHandle.of(Long.parseLong(slotPid)).map(p -> !p.isAlive()).orElse(true), "compensation stopped the half-deployed slot");
    }

    static void awaitStarted(String commandId) {
        String status = await("command " + commandId + " started").atMost(WAIT).pollInterval(Duration.ofMillis(100))
                .until(() -> status(commandId), Optional::isPresent).get();
        assertEquals("STARTED", status);
    }

    /** The command's status in the executor's command log, once it has a row. */
    static Optional<String> status(String commandId) throws Exception {
        try (Connection c = ClientDatabases.connect(ExecutorTestResource.DATABASE);
                PreparedStatement s = c.prepareStatement("SELECT status FROM executor_command WHERE command_id = ?")) {
            s.setString(1, commandId);
            try (ResultSet r = s.executeQuery()) {
                return r.next() ? Optional.of(r.getString(1)) : Optional.empty();
            }
        }
    }

    static void awaitFile(Path file) {
        await(file + " appears").atMost(WAIT).pollInterval(Duration.ofMillis(100)).until(() -> Files.exists(file));
    }
}
