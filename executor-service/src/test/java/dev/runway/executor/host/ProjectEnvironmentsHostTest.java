package dev.runway.executor.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.runway.events.ComponentSpec;
import dev.runway.events.DeployGreen;
import dev.runway.events.Environment;
import dev.runway.events.GreenDeployed;
import dev.runway.events.GreenRemoved;
import dev.runway.events.ReleaseEndpoint;
import dev.runway.events.RemoveGreen;
import dev.runway.events.RepositoryRef;
import dev.runway.events.RollbackTraffic;
import dev.runway.events.ShiftTraffic;
import dev.runway.events.StepFailed;
import dev.runway.events.Strategy;
import dev.runway.events.TargetKind;
import dev.runway.events.TrafficRolledBack;
import dev.runway.events.TrafficShifted;
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
 * Issue 13 on the host target: two projects in one environment, each with its own nginx front,
 * slots, state and checkout; releases run from a checkout of the deployment's own commit.
 */
@QuarkusTest
@QuarkusTestResource(ExecutorTestResource.class)
class ProjectEnvironmentsHostTest {

    static final Duration WAIT = Duration.ofSeconds(120);
    static final int STAGING_FRONT = ExecutorSettings.DEV_NGINX + 50;
    static final int STAGING_SLOTS = ExecutorSettings.DEV_SLOT_BASE + 50;
    static final Path STATE = ExecutorTestResource.STATE;

    final HostSlots host;
    CommandBus bus;

    ProjectEnvironmentsHostTest(HostSlots host) {
        this.host = host;
    }

    @BeforeEach
    void setUp() throws Exception {
        host.stopEverything();
        HostTargetTest.deleteTree(STATE.resolve("slots"));
        HostTargetTest.deleteTree(STATE.resolve("checkouts"));
        bus = new CommandBus();
    }

    @AfterEach
    void tearDown() throws Exception {
        bus.close();
        host.stopEverything();
    }

    /** A release whose script says which commit it came from (VERSION=<version>-<tag>). */
    static Repos.Repo releaseRepo(String tag) {
        return Repos.demoApp().write("release.sh", script(tag));
    }

    static Repos.Repo plainRepo() {
        return Repos.demoApp().write("release.sh", "exec java examples/demo-app/DemoApp.java\n");
    }

    static String script(String tag) {
        return "export VERSION=\"$VERSION-" + tag + "\"\nexec java examples/demo-app/DemoApp.java\n";
    }

    static ComponentSpec web() {
        return ComponentSpec.newBuilder().setName("web").setArtifact("sh release.sh").setHealthcheck("/health").build();
    }

    SpecificRecordCall deploy(String project, String deploymentId, String version, RepositoryRef repository) {
        return new SpecificRecordCall(bus.call(DeployGreen.newBuilder()
                .setHeader(CommandBus.header(deploymentId, Environment.STAGING, project)).setStep("deploy-green")
                .setFencingToken(FencingTokens.next()).setVersion(version).setTarget(TargetKind.HOST).setStrategy(Strategy.BLUE_GREEN)
                .setRepository(repository).setComponents(List.of(web())).build(), WAIT));
    }

    record SpecificRecordCall(SpecificRecord reply) {
        GreenDeployed deployed() {
            return assertInstanceOf(GreenDeployed.class, reply, reply.toString());
        }
    }

    void shift(String project, String deploymentId, int percent) {
        assertInstanceOf(TrafficShifted.class, bus.call(ShiftTraffic.newBuilder()
                .setHeader(CommandBus.header(deploymentId, Environment.STAGING, project)).setStep("shift-traffic-" + percent)
                .setFencingToken(FencingTokens.next()).setVersion("-").setPercent(percent).setComponents(List.of("web")).build(), WAIT));
    }

    static Path checkout(String project, String deploymentId) {
        return STATE.resolve("checkouts").resolve(project).resolve("staging").resolve(deploymentId);
    }

    static Path stateFile(String project) {
        return STATE.resolve("slots").resolve("staging").resolve(project).resolve("web.json");
    }

    @Test
    void shouldGiveEachProjectEnvironmentItsOwnFrontSlotsStateAndCheckout() throws Exception {
        String alpha = ClientDatabases.newProject();
        String beta = ClientDatabases.newProject();
        // Each project's own repository; the versions say whose release answers.
        RepositoryRef alphaRepo = plainRepo().commit("alpha");
        RepositoryRef betaRepo = plainRepo().commit("beta");

        String a1 = UUID.randomUUID().toString();
        ReleaseEndpoint alphaWeb = deploy(alpha, a1, "alpha-1.0.0", alphaRepo).deployed().getEndpoints().get(0);
        shift(alpha, a1, 100);
        String b1 = UUID.randomUUID().toString();
        ReleaseEndpoint betaWeb = deploy(beta, b1, "beta-1.0.0", betaRepo).deployed().getEndpoints().get(0);
        shift(beta, b1, 100);

        assertEquals("http://127.0.0.1:" + STAGING_FRONT, alphaWeb.getFront(), "the first project keeps the environment's first front port");
        assertEquals("http://127.0.0.1:" + (STAGING_FRONT + 1), betaWeb.getFront(), "the second project gets a front of its own");
        assertEquals("http://127.0.0.1:" + STAGING_SLOTS, alphaWeb.getUrl());
        assertEquals("http://127.0.0.1:" + (STAGING_SLOTS + 2), betaWeb.getUrl(), "and slots of its own");
        assertEquals(Map.of("alpha-1.0.0", 20), Http.split(STAGING_FRONT, 20));
        assertEquals(Map.of("beta-1.0.0", 20), Http.split(STAGING_FRONT + 1, 20));
        String conf = Files.readString(STATE.resolve("nginx").resolve("nginx.conf"));
        assertEquals(1, conf.split("listen 127.0.0.1:" + STAGING_FRONT + ";", -1).length - 1, conf);
        assertEquals(1, conf.split("listen 127.0.0.1:" + (STAGING_FRONT + 1) + ";", -1).length - 1, "one server per project environment: " + conf);
        assertTrue(Files.isDirectory(checkout(alpha, a1)) && Files.isDirectory(checkout(beta, b1)));
        Path betaPid = STATE.resolve("pids").resolve("staging-" + beta + "-web-blue.pid");
        String betaState = Files.readString(stateFile(beta));
        String betaPidBefore = Files.readString(betaPid);

        // Alpha deploys, shifts, rolls back and removes its candidate: beta sees none of it.
        String a2 = UUID.randomUUID().toString();
        GreenDeployed alphaNext = deploy(alpha, a2, "alpha-2.0.0", alphaRepo).deployed();
        assertEquals("green", alphaNext.getSlot());
        assertEquals(alphaWeb.getFront(), alphaNext.getEndpoints().get(0).getFront(), "a project environment keeps its front");
        shift(alpha, a2, 100);
        assertEquals(Map.of("alpha-2.0.0", 20), Http.split(STAGING_FRONT, 20));
        assertEquals(Map.of("beta-1.0.0", 20), Http.split(STAGING_FRONT + 1, 20));
        assertInstanceOf(TrafficRolledBack.class, bus.call(RollbackTraffic.newBuilder()
                .setHeader(CommandBus.header(a2, Environment.STAGING, alpha)).setStep("rollback-traffic").setFencingToken(FencingTokens.next())
                .setComponents(List.of("web")).build(), WAIT));
        assertInstanceOf(GreenRemoved.class, bus.call(RemoveGreen.newBuilder()
                .setHeader(CommandBus.header(a2, Environment.STAGING, alpha)).setStep("remove-green").setFencingToken(FencingTokens.next())
                .setComponents(List.of("web")).build(), WAIT));
        assertEquals(Map.of("alpha-1.0.0", 20), Http.split(STAGING_FRONT, 20));
        assertFalse(Files.exists(checkout(alpha, a2)), "the removed slot's checkout went with it");
        assertTrue(Files.isDirectory(checkout(alpha, a1)), "the live slot's checkout stays");

        assertEquals(Map.of("beta-1.0.0", 20), Http.split(STAGING_FRONT + 1, 20));
        assertEquals(betaState, Files.readString(stateFile(beta)), "beta's slot state is untouched");
        assertEquals(betaPidBefore, Files.readString(betaPid), "beta's slot process is the same one");
        assertTrue(Files.isDirectory(checkout(beta, b1)), "beta's checkout is untouched");

        // A component of the same name in another project is not this project's: nothing to shift for a project that never deployed.
        StepFailed notOurs = assertInstanceOf(StepFailed.class, bus.call(ShiftTraffic.newBuilder()
                .setHeader(CommandBus.header(UUID.randomUUID().toString(), Environment.STAGING, ClientDatabases.newProject()))
                .setStep("shift-traffic-100").setFencingToken(FencingTokens.next()).setVersion("-").setPercent(100)
                .setComponents(List.of("web")).build(), WAIT));
        assertEquals("NOT_DEPLOYED", notOurs.getCode());

        // Checkouts no slot runs from (made only for migrations, left by a failed deploy) go once old; those in use stay.
        Path stray = Files.createDirectories(STATE.resolve("checkouts").resolve(alpha).resolve("staging").resolve("migrations-only"));
        FileTime longAgo = FileTime.from(Instant.now().minus(Duration.ofDays(2)));
        Files.setLastModifiedTime(stray, longAgo);
        Files.setLastModifiedTime(checkout(alpha, a1), longAgo);
        host.sweepCheckouts();
        assertFalse(Files.exists(stray));
        assertTrue(Files.isDirectory(checkout(alpha, a1)), "a live slot runs from it");
    }

    @Test
    void shouldRunTheReleaseFromACheckoutOfTheDeploymentsCommit() throws Exception {
        String project = ClientDatabases.newProject();
        Repos.Repo repo = releaseRepo("one");
        RepositoryRef first = repo.commit("one");
        RepositoryRef second = repo.write("release.sh", script("two")).commit("two");
        // Not committed: never what runs.
        repo.write("release.sh", script("dirty"));

        String d1 = UUID.randomUUID().toString();
        assertEquals("blue", deploy(project, d1, "1.0.0", first).deployed().getSlot());
        assertEquals("1.0.0-one", Http.version(STAGING_SLOTS), "the first commit's release, although the repository moved on");
        String d2 = UUID.randomUUID().toString();
        assertEquals("green", deploy(project, d2, "2.0.0", second).deployed().getSlot());
        assertEquals("2.0.0-two", Http.version(STAGING_SLOTS + 1), "the second commit's release, not the work tree's");
        assertEquals(script("two"), Files.readString(checkout(project, d2).resolve("release.sh")));
        assertEquals(script("one"), Files.readString(checkout(project, d1).resolve("release.sh")), "each deployment has its own checkout");

        StepFailed noRepository = assertInstanceOf(StepFailed.class, bus.call(DeployGreen.newBuilder()
                .setHeader(CommandBus.header(UUID.randomUUID().toString(), Environment.STAGING, project)).setStep("deploy-green")
                .setFencingToken(FencingTokens.next()).setVersion("3.0.0").setTarget(TargetKind.HOST).setStrategy(Strategy.BLUE_GREEN)
                .setComponents(List.of(web())).build(), WAIT));
        assertEquals("NO_REPOSITORY", noRepository.getCode());
        assertTrue(noRepository.getReason().contains("never from a shared working directory"), noRepository.getReason());

        StepFailed noCommit = deployFails(project, new RepositoryRef(repo.dir().toString(), "ab".repeat(20), null, null));
        assertEquals("NO_COMMIT", noCommit.getCode());
        assertEquals("1.0.0-one", Http.version(STAGING_SLOTS), "a failed checkout touches no slot");

        StepFailed badName = assertInstanceOf(StepFailed.class, bus.call(DeployGreen.newBuilder()
                .setHeader(CommandBus.header(UUID.randomUUID().toString(), Environment.STAGING, ExecutorSettings.PROJECT_PREFIX + "x".repeat(40)))
                .setStep("deploy-green").setFencingToken(FencingTokens.next()).setVersion("3.0.0").setTarget(TargetKind.HOST)
                .setStrategy(Strategy.BLUE_GREEN).setRepository(first).setComponents(List.of(web())).build(), WAIT));
        assertEquals("BAD_PROJECT_NAME", badName.getCode());

        // Another name with the same safe name would share this project's slots and front: refused, naming the first.
        StepFailed collision = assertInstanceOf(StepFailed.class, bus.call(DeployGreen.newBuilder()
                .setHeader(CommandBus.header(UUID.randomUUID().toString(), Environment.STAGING, project + "_"))
                .setStep("deploy-green").setFencingToken(FencingTokens.next()).setVersion("3.0.0").setTarget(TargetKind.HOST)
                .setStrategy(Strategy.BLUE_GREEN).setRepository(first).setComponents(List.of(web())).build(), WAIT));
        assertEquals("PROJECT_NAME_COLLISION", collision.getCode());
        assertTrue(collision.getReason().contains("'" + project + "'"), collision.getReason());
        assertEquals("1.0.0-one", Http.version(STAGING_SLOTS));
    }

    @Test
    void shouldCarryOutTwoProjectEnvironmentsCommandsAtTheSameTime() throws Exception {
        String alpha = ClientDatabases.newProject();
        String beta = ClientDatabases.newProject();
        // A release that takes a few seconds to get healthy: long enough for the two deploys to overlap.
        String slow = "sleep 3\nexec java examples/demo-app/DemoApp.java\n";
        List<DeployGreen> deploys = new ArrayList<>();
        for (String project : List.of(alpha, beta)) {
            deploys.add(DeployGreen.newBuilder().setHeader(CommandBus.header(UUID.randomUUID().toString(), Environment.STAGING, project))
                    .setStep("deploy-green").setFencingToken(FencingTokens.next()).setVersion(project + "-1.0.0").setTarget(TargetKind.HOST)
                    .setStrategy(Strategy.BLUE_GREEN).setRepository(Repos.demoApp().write("release.sh", slow).commit(project))
                    .setComponents(List.of(web())).build());
        }
        deploys.forEach(bus::send);
        // Each project's front is whichever port its first deploy reserved: the two race for the lowest free one.
        List<Integer> fronts = new ArrayList<>();
        for (DeployGreen d : deploys) {
            GreenDeployed deployed = assertInstanceOf(GreenDeployed.class, bus.reply(d.getHeader().getEventId(), WAIT));
            fronts.add(URI.create(deployed.getEndpoints().get(0).getFront()).getPort());
        }
        assertEquals(Set.of(STAGING_FRONT, STAGING_FRONT + 1), Set.copyOf(fronts), "one front each, the two lowest staging ports");
        Instant[] a = interval(deploys.get(0).getHeader().getEventId());
        Instant[] b = interval(deploys.get(1).getHeader().getEventId());
        assertTrue(a[0].isBefore(b[1]) && b[0].isBefore(a[1]), "the two deploys overlap in time: " + List.of(a) + " " + List.of(b));

        List<ShiftTraffic> shifts = deploys.stream().map(d -> ShiftTraffic.newBuilder()
                .setHeader(CommandBus.header(d.getHeader().getDeploymentId(), Environment.STAGING, d.getHeader().getProject()))
                .setStep("shift-traffic-100").setFencingToken(FencingTokens.next()).setVersion("-").setPercent(100)
                .setComponents(List.of("web")).build()).toList();
        shifts.forEach(bus::send);
        for (ShiftTraffic shift : shifts) {
            assertInstanceOf(TrafficShifted.class, bus.reply(shift.getHeader().getEventId(), WAIT));
        }
        assertEquals(Map.of(alpha + "-1.0.0", 20), Http.split(fronts.get(0), 20));
        assertEquals(Map.of(beta + "-1.0.0", 20), Http.split(fronts.get(1), 20), "nginx changes made at the same time both took");
    }

    /** When the executor started and finished a command (its command log). */
    static Instant[] interval(String commandId) throws Exception {
        try (Connection c = ClientDatabases.connect(ExecutorTestResource.DATABASE);
                PreparedStatement s = c.prepareStatement("SELECT started_at, finished_at FROM executor_command WHERE command_id = ?")) {
            s.setString(1, commandId);
            try (ResultSet r = s.executeQuery()) {
                assertTrue(r.next(), commandId);
                return new Instant[] { r.getTimestamp(1).toInstant(), r.getTimestamp(2).toInstant() };
            }
        }
    }

    StepFailed deployFails(String project, RepositoryRef repository) {
        String id = UUID.randomUUID().toString();
        var reply = deploy(project, id, "3.0.0", repository).reply();
        return assertInstanceOf(StepFailed.class, reply, reply.toString());
    }
}
