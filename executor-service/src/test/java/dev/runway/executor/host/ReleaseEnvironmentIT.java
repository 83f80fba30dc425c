package dev.runway.executor.host;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.runway.events.DeployGreen;
import dev.runway.events.Environment;
import dev.runway.events.GreenDeployed;
import dev.runway.events.RepositoryRef;
import dev.runway.events.ShiftTraffic;
import dev.runway.events.StepFailed;
import dev.runway.events.Strategy;
import dev.runway.events.TargetKind;
import dev.runway.executor.support.CommandBus;
import dev.runway.executor.support.ExecutorProcess;
import dev.runway.executor.support.FencingTokens;
import dev.runway.executor.support.Repos;
import dev.runway.testsupport.Backbone;

/**
 * Issue 15's attack, replayed against the packaged executor started as `./runway up` starts it
 * (KAFKA_BOOTSTRAP_SERVERS, DB_PASSWORD, …) plus an operator's variables (JWT_PUBLIC_KEY_LOCATION,
 * RUNWAY_DB_*, RUNWAY_*_DATABASE_PASSWORD, a RUNWAY_SECRET_* for the project): a host release that
 * writes its environment to a file sees none of them but its own secret, and, the executor being
 * root, runs as the unprivileged run-as user. The operator's target choice comes from the
 * environment too (RUNWAY_EXECUTOR_ENVIRONMENTS_PRODUCTION_ALLOWED_TARGETS).
 */
class ReleaseEnvironmentIT {

    static final Path STATE = Path.of("target", "it-release-state").toAbsolutePath();
    static final Duration WAIT = Duration.ofSeconds(120);
    static final Map<String, String> SETTINGS = Map.of(
            "runway.executor.projects", "exec-it-.*",
            "mp.messaging.incoming.\"runway.executor.commands\".group.id", "runway-executor-it-release",
            "mp.messaging.incoming.\"runway.executor.commands\".auto.offset.reset", "latest",
            "runway.executor.environments.staging.slot-ports", "19360-19399",
            "runway.executor.environments.staging.front-ports", "19060-19099",
            "runway.executor.host.health-timeout", "120s");

    final String project = "exec-it-" + UUID.randomUUID().toString().substring(0, 8);
    final String variable = project.toUpperCase().replace('-', '_');
    CommandBus bus;
    ExecutorProcess executor;

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

    /** What an operator's executor holds that no release may see (name → value). */
    Map<String, String> operatorEnvironment() {
        Map<String, String> env = new HashMap<>();
        env.put("JWT_PUBLIC_KEY_LOCATION", Path.of("..", "dev-keys", "publicKey.pem")
                .toAbsolutePath().normalize().toString());
        env.put("RUNWAY_PRODUCTION_DATABASE_PASSWORD", "executor-only-production-password");
        env.put("RUNWAY_STAGING_DATABASE_PASSWORD", "executor-only-staging-password");
        env.put("RUNWAY_DB_" + variable + "_STAGING_URL", "jdbc:postgresql://127.0.0.1:5432/executor_only_client_db");
        env.put("RUNWAY_DB_" + variable + "_STAGING_USERNAME", "executor-only-user");
        env.put("RUNWAY_DB_" + variable + "_STAGING_PASSWORD", "executor-only-client-password");
        env.put("RUNWAY_SECRET_" + variable + "_STAGING__API_TOKEN", "the-projects-own-token");
        env.put("RUNWAY_EXECUTOR_ENVIRONMENTS_PRODUCTION_ALLOWED_TARGETS", "KUBERNETES");
        return env;
    }

    void awaitConsuming() {
        await("the executor consumes a command").atMost(WAIT).pollInSameThread().pollInterval(Duration.ofMillis(1))
                .ignoreException(ConditionTimeoutException.class).untilAsserted(() -> {
                    ShiftTraffic probe = ShiftTraffic.newBuilder()
                            .setHeader(CommandBus.header(UUID.randomUUID().toString(), Environment.STAGING, project)).setStep("probe")
                            .setFencingToken(FencingTokens.next()).setDryRun(true).setVersion("-").setPercent(1).setComponents(List.of("probe")).build();
                    bus.send(probe);
                    bus.reply(probe.getHeader().getEventId(), Duration.ofSeconds(5));
                });
    }

    DeployGreen deploy(Environment env, RepositoryRef repository) {
        return DeployGreen.newBuilder().setHeader(CommandBus.header(UUID.randomUUID().toString(), env, project)).setStep("deploy-green")
                .setFencingToken(FencingTokens.next()).setVersion("1.0.0").setTarget(TargetKind.HOST).setStrategy(Strategy.BLUE_GREEN)
                .setRepository(repository).setComponents(List.of(ReleaseEnvironmentHostTest.web("sh release.sh"))).build();
    }

    @Test
    void shouldGiveAHostReleaseNoneOfTheExecutorsEnvironment() throws Exception {
        Path dumps = Files.createDirectories(Path.of("target", "env-dumps", UUID.randomUUID().toString()).toAbsolutePath());
        Files.setPosixFilePermissions(dumps, PosixFilePermissions.fromString("rwxrwxrwx"));
        Path dump = dumps.resolve("env");
        RepositoryRef release = Repos.demoApp().write("release.sh", ReleaseEnvironmentHostTest.RELEASE)
                .write("config/staging.env", "ENV_DUMP=" + dump + "\n").commit("release");
        Map<String, String> operator = operatorEnvironment();
        executor = ExecutorProcess.start(STATE, Path.of("target", "it-release-executor.log"), SETTINGS, operator);
        awaitConsuming();

        assertInstanceOf(GreenDeployed.class, bus.call(deploy(Environment.STAGING, release), WAIT));
        Map<String, String> seen = ReleaseEnvironmentHostTest.read(dump);

        Backbone b = Backbone.get();
        List<String> executorNames = new ArrayList<>(operator.keySet());
        executorNames.remove("RUNWAY_SECRET_" + variable + "_STAGING__API_TOKEN");
        executorNames.addAll(List.of("KAFKA_BOOTSTRAP_SERVERS", "KAFKA_USERNAME", "KAFKA_PASSWORD", "REGISTRY_URL", "DB_URL", "DB_JDBC_URL", "DB_USERNAME", "DB_PASSWORD",
                "QUARKUS_HTTP_PORT"));
        for (String name : executorNames) {
            assertFalse(seen.containsKey(name), name + " reached the release: " + seen.keySet());
        }
        List<String> executorValues = new ArrayList<>(List.of(b.kafkaBootstrap(), b.registryApiV3(), operator.get("JWT_PUBLIC_KEY_LOCATION")));
        if (b.kafkaSecured()) {
            executorValues.add(Backbone.kafkaPassword("executor"));
        }
        operator.values().stream().filter(v -> v.startsWith("executor-only") || v.contains("executor_only")).forEach(executorValues::add);
        for (String value : executorValues) {
            assertFalse(seen.values().stream().anyMatch(v -> v.contains(value)), value + " reached the release");
        }
        assertEquals("the-projects-own-token", seen.get("API_TOKEN"), "the operator's secret for this project environment does");
        assertEquals("1.0.0", seen.get("VERSION"));
        assertEquals("staging", seen.get("RUNWAY_ENVIRONMENT"));

        Map<String, String> facts = ReleaseEnvironmentHostTest.read(dumps.resolve("env.id"));
        if (ReleaseEnvironmentHostTest.ROOT) {
            assertNotEquals("0", facts.get("uid"), "the executor is root; its release is not");
            assertEquals(Integer.toString(ReleaseEnvironmentHostTest.runAsUid()), facts.get("uid"));
            assertEquals("unreadable", facts.get("executor-environ"), "/proc/<executor>/environ is out of its reach");
        }

        // The operator keeps production on Kubernetes (set through the executor's environment): a host deploy there is refused.
        StepFailed refused = assertInstanceOf(StepFailed.class, bus.call(deploy(Environment.PRODUCTION, release), WAIT));
        assertEquals("TARGET_NOT_ALLOWED", refused.getCode());
        assertTrue(refused.getReason().contains("production does not allow the host target"), refused.getReason());
        assertFalse(Files.exists(STATE.resolve("checkouts").resolve(project).resolve("production")), "nothing was checked out");
    }
}
