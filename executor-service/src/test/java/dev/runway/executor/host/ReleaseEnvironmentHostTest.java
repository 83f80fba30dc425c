package dev.runway.executor.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.UUID;

import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.runway.access.ProjectNames;
import dev.runway.events.ComponentSpec;
import dev.runway.events.DeployGreen;
import dev.runway.events.Environment;
import dev.runway.events.GreenDeployed;
import dev.runway.events.RepositoryRef;
import dev.runway.events.StepFailed;
import dev.runway.events.Strategy;
import dev.runway.events.TargetKind;
import dev.runway.executor.support.ClientDatabases;
import dev.runway.executor.support.CommandBus;
import dev.runway.executor.support.ExecutorSettings;
import dev.runway.executor.support.ExecutorTestResource;
import dev.runway.executor.support.FencingTokens;
import dev.runway.executor.support.Http;
import dev.runway.executor.support.Repos;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * Issue 15, item 1: a host release runs as the project, not as Runway. Its command writes its
 * environment to a file: only Runway's few variables, the project's config/<env>.env and the
 * operator's secrets are there, none of the executor's own; as root it runs as the unprivileged
 * run-as user, cannot write its checkout and cannot read the executor's environment.
 */
@QuarkusTest
@QuarkusTestResource(ExecutorTestResource.class)
class ReleaseEnvironmentHostTest {

    static final Duration WAIT = Duration.ofSeconds(120);
    static final Path STATE = ExecutorTestResource.STATE;
    static final int SLOT = ExecutorSettings.DEV_SLOT_BASE + 50;
    static final boolean ROOT = "root".equals(System.getProperty("user.name"));
    /** Writes what the release sees, then starts the demo app (so the deploy succeeds). */
    static final String RELEASE = """
            env > "$ENV_DUMP.tmp"
            { echo "uid=$(id -u)"
              if touch probe-written-by-release 2>/dev/null; then echo checkout=writable; else echo checkout=read-only; fi
              if cat "/proc/$PPID/environ" >/dev/null 2>&1; then echo executor-environ=readable; else echo executor-environ=unreadable; fi
            } > "$ENV_DUMP.id"
            mv "$ENV_DUMP.tmp" "$ENV_DUMP"
            exec java examples/demo-app/DemoApp.java
            """;

    final HostSlots host;
    CommandBus bus;
    String project;
    Path dumps;

    ReleaseEnvironmentHostTest(HostSlots host) {
        this.host = host;
    }

    @BeforeEach
    void setUp() throws Exception {
        host.stopEverything();
        HostTargetTest.deleteTree(STATE.resolve("slots"));
        bus = new CommandBus();
        project = ClientDatabases.newProject();
        // Where the release (maybe another OS user) may write what it sees.
        dumps = Files.createDirectories(Path.of("target", "env-dumps", UUID.randomUUID().toString()).toAbsolutePath());
        Files.setPosixFilePermissions(dumps, PosixFilePermissions.fromString("rwxrwxrwx"));
    }

    @AfterEach
    void tearDown() throws Exception {
        bus.close();
        host.stopEverything();
    }

    static ComponentSpec web(String artifact) {
        return ComponentSpec.newBuilder().setName("web").setArtifact(artifact).setHealthcheck("/health").build();
    }

    SpecificRecord deploy(Environment env, String artifact, RepositoryRef repository) {
        return bus.call(DeployGreen.newBuilder().setHeader(CommandBus.header(UUID.randomUUID().toString(), env, project))
                .setStep("deploy-green").setFencingToken(FencingTokens.next()).setVersion("1.0.0").setTarget(TargetKind.HOST)
                .setStrategy(Strategy.BLUE_GREEN).setRepository(repository).setComponents(List.of(web(artifact))).build(), WAIT);
    }

    Repos.Repo release(String config) {
        Repos.Repo repo = Repos.demoApp().write("release.sh", RELEASE);
        return config == null ? repo : repo.write("config/staging.env", config);
    }

    @Test
    void shouldStartTheReleaseWithOnlyItsOwnEnvironmentAsAnUnprivilegedUser() throws Exception {
        Path dump = dumps.resolve("env");
        RepositoryRef ref = release("""
                # declared by the project for staging (000 §5.3: values and secret references)
                ENV_DUMP=%s
                GREETING="hello world"
                DATABASE_URL=vault:secret/data/shop/staging#database_url
                """.formatted(dump)).commit("release");
        // The operator's value behind the reference, for this project environment only.
        Path secrets = Files.createDirectories(ExecutorSettings.appSecretsDir(STATE).resolve(ProjectNames.projectEnvironment(project, "staging")));
        Files.writeString(secrets.resolve("DATABASE_URL"), "postgres://app:operator-value@db/shop\n");
        Files.writeString(Files.createDirectories(ExecutorSettings.appSecretsDir(STATE)
                .resolve(ProjectNames.projectEnvironment(project, "production"))).resolve("PRODUCTION_ONLY"), "not for staging");

        GreenDeployed deployed = assertInstanceOf(GreenDeployed.class, deploy(Environment.STAGING, "sh release.sh", ref));
        assertEquals("1.0.0", Http.version(SLOT), "the release answers");

        Map<String, String> seen = read(dump);
        Path checkout = STATE.resolve("checkouts").resolve(project).resolve("staging").resolve(deployed.getHeader().getDeploymentId());
        Map<String, String> expected = new LinkedHashMap<>();
        expected.put("PORT", Integer.toString(SLOT));
        expected.put("VERSION", "1.0.0");
        expected.put("COLOR", "blue");
        expected.put("RUNWAY_PROJECT", project);
        expected.put("RUNWAY_ENVIRONMENT", "staging");
        expected.put("RUNWAY_COMPONENT", "web");
        expected.put("PATH", "/usr/local/bin:/usr/bin:/bin");
        expected.put("HOME", checkout.toString());
        expected.put("LANG", "C.UTF-8");
        expected.put("ENV_DUMP", dump.toString());
        expected.put("GREETING", "hello world");
        expected.put("DATABASE_URL", "postgres://app:operator-value@db/shop");
        // PWD: the POSIX shell that sets the variables exports its working directory (the checkout).
        expected.put("PWD", checkout.toString());
        assertEquals(new TreeSet<>(expected.keySet()), new TreeSet<>(seen.keySet()), "nothing but these");
        assertEquals(expected, seen);
        // None of the executor's own variables (this JVM's: the executor runs in it), by name and by value.
        for (Map.Entry<String, String> own : System.getenv().entrySet()) {
            if (!expected.containsKey(own.getKey())) {
                assertFalse(seen.containsKey(own.getKey()), own.getKey() + " of the executor reached the release");
            }
        }

        Map<String, String> facts = read(dumps.resolve("env.id"));
        if (ROOT) {
            int uid = Integer.parseInt(facts.get("uid"));
            assertNotEquals(0, uid, "the executor runs as root; its release must not");
            assertEquals(runAsUid(), uid, "it runs as runway.executor.host.run-as (runway-app)");
            assertEquals("read-only", facts.get("checkout"), "the release cannot change the code it runs from");
            assertEquals("unreadable", facts.get("executor-environ"), "nor read the executor's environment through /proc");
            long pid = Long.parseLong(Files.readString(STATE.resolve("pids").resolve("staging-" + project + "-web-blue.pid")).strip());
            assertEquals(uid, Files.getAttribute(Path.of("/proc/" + pid), "unix:uid"), "the slot process itself runs as that user");
            assertEquals(uid, Files.getAttribute(dump, "unix:uid"), "what it wrote belongs to that user");
        } else {
            assertEquals(Long.toString((Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid")), facts.get("uid"),
                    "not root: the release runs as the executor's own user");
        }
    }

    @Test
    void shouldRefuseAMalformedOrEscapingConfigAndLeaveTheSlotUnstarted() throws Exception {
        StepFailed malformed = assertInstanceOf(StepFailed.class,
                deploy(Environment.STAGING, "sh release.sh", release("A=1\nGREETING hello\n").commit("malformed")));
        assertEquals("BAD_ENV_FILE", malformed.getCode());
        assertTrue(malformed.getReason().contains("config/staging.env line 2 is not KEY=value"), malformed.getReason());
        assertNotStarted();

        StepFailed reserved = assertInstanceOf(StepFailed.class,
                deploy(Environment.STAGING, "sh release.sh", release("PORT=1\n").commit("reserved")));
        assertEquals("BAD_ENV_FILE", reserved.getCode());
        assertTrue(reserved.getReason().contains("sets PORT, which Runway sets itself"), reserved.getReason());

        // A config that is a symlink to a file of the host is never read: here, the executor's own environment.
        Repos.Repo escaping = release(null);
        Files.createDirectories(escaping.dir().resolve("config"));
        Files.createSymbolicLink(escaping.dir().resolve("config/staging.env"), Path.of("/proc/self/environ"));
        StepFailed outside = assertInstanceOf(StepFailed.class, deploy(Environment.STAGING, "sh release.sh", escaping.commit("escaping")));
        assertEquals("BAD_ENV_FILE", outside.getCode());
        assertTrue(outside.getReason().contains("leads outside the repository"), outside.getReason());
        assertNotStarted();
    }

    @Test
    void shouldRefuseAnArtifactThatNeedsAShellAndATargetTheEnvironmentDoesNotAllowBeforeDoingAnything() throws Exception {
        RepositoryRef ref = release(null).commit("release");

        StepFailed shell = assertInstanceOf(StepFailed.class, deploy(Environment.STAGING, "java -jar app.jar --port $PORT", ref));
        assertEquals("BAD_ARTIFACT", shell.getCode());
        assertTrue(shell.getReason().contains("needs a shell") && shell.getReason().contains("sh -c"), shell.getReason());
        assertFalse(Files.exists(STATE.resolve("slots").resolve("staging").resolve(project)), "refused while planning: nothing recorded");

        // uat allows only Kubernetes here (runway.executor.environments.uat.allowed-targets=KUBERNETES).
        StepFailed target = assertInstanceOf(StepFailed.class, deploy(Environment.UAT, "sh release.sh", ref));
        assertEquals("TARGET_NOT_ALLOWED", target.getCode());
        assertFalse(target.getRetryable());
        assertTrue(target.getReason().contains("uat does not allow the host target") && target.getReason().contains("[KUBERNETES]"),
                target.getReason());
        assertFalse(Files.exists(STATE.resolve("slots").resolve("uat").resolve(project)), "no slot state");
        assertFalse(Files.exists(STATE.resolve("checkouts").resolve(project).resolve("uat")), "no checkout");
    }

    void assertNotStarted() throws Exception {
        assertFalse(Files.exists(STATE.resolve("pids").resolve("staging-" + project + "-web-blue.pid")), "no process was started");
        assertFalse(Files.exists(dumps.resolve("env")));
    }

    static int runAsUid() throws Exception {
        String[] entry = new String(new ProcessBuilder("getent", "passwd", "runway-app").start().getInputStream().readAllBytes()).strip().split(":");
        return Integer.parseInt(entry[2]);
    }

    /** {@code KEY=value} lines (values never span lines here). */
    static Map<String, String> read(Path file) throws Exception {
        Map<String, String> values = new LinkedHashMap<>();
        for (String line : Files.readAllLines(file)) {
            int eq = line.indexOf('=');
            if (eq > 0) {
                values.put(line.substring(0, eq), line.substring(eq + 1));
            }
        }
        return values;
    }
}
