package dev.runway.executor.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.runway.events.ComponentSpec;
import dev.runway.events.Decommission;
import dev.runway.events.Decommissioned;
import dev.runway.events.DeployGreen;
import dev.runway.events.Environment;
import dev.runway.events.EventHeader;
import dev.runway.events.GreenDeployed;
import dev.runway.events.GreenPromoted;
import dev.runway.events.GreenRemoved;
import dev.runway.events.PromoteGreen;
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
 * Two versions of examples/demo-app in blue/green slots behind a real nginx (the Debian binary,
 * Runway's own config): canary split 10 → 50 → 100 checked with real requests, then rollback.
 */
@QuarkusTest
@QuarkusTestResource(ExecutorTestResource.class)
class HostTargetTest {

    static final Duration WAIT = Duration.ofSeconds(120);
    static final String DEMO = "java examples/demo-app/DemoApp.java";
    /** The demo app committed to a repository of its own: releases run from a checkout of this commit. */
    static final RepositoryRef DEMO_REPO = Repos.demoApp().commit("demo app");
    static final int FRONT = ExecutorSettings.DEV_NGINX;
    static final int BLUE = ExecutorSettings.DEV_SLOT_BASE;
    static final int GREEN = ExecutorSettings.DEV_SLOT_BASE + 1;

    final HostSlots host;
    CommandBus bus;
    String project;

    HostTargetTest(HostSlots host) {
        this.host = host;
    }

    @BeforeEach
    void setUp() throws Exception {
        host.stopEverything();
        deleteTree(ExecutorTestResource.STATE.resolve("slots"));
        bus = new CommandBus();
        project = ClientDatabases.newProject();
    }

    @AfterEach
    void tearDown() throws Exception {
        bus.close();
        host.stopEverything();
    }

    EventHeader header(String deploymentId) {
        return CommandBus.header(deploymentId, Environment.DEVELOPMENT, project);
    }

    ComponentSpec web() {
        return ComponentSpec.newBuilder().setName("web").setArtifact(DEMO).setPort(8000).setHealthcheck("/health").build();
    }

    GreenDeployed deploy(String deploymentId, String version) {
        return assertInstanceOf(GreenDeployed.class, bus.call(DeployGreen.newBuilder().setHeader(header(deploymentId)).setStep("deploy-green")
                .setFencingToken(FencingTokens.next()).setVersion(version).setTarget(TargetKind.HOST).setStrategy(Strategy.CANARY)
                .setRepository(DEMO_REPO).setComponents(List.of(web())).build(), WAIT));
    }

    TrafficShifted shift(String deploymentId, int percent) {
        return assertInstanceOf(TrafficShifted.class, bus.call(ShiftTraffic.newBuilder().setHeader(header(deploymentId))
                .setStep("shift-traffic-" + percent).setFencingToken(FencingTokens.next()).setVersion("-").setPercent(percent)
                .setComponents(List.of("web")).build(), WAIT));
    }

    @Test
    void shouldShiftTrafficBetweenTwoReleasesBehindNginxAndRollBack() throws Exception {
        String first = UUID.randomUUID().toString();
        GreenDeployed blue = deploy(first, "1.0.0");
        assertEquals("blue", blue.getSlot());
        assertNull(blue.getEndpoints().get(0).getBaselineUrl(), "a first release has nothing to compare with");
        assertEquals("1.0.0", Http.version(BLUE), "the slot itself answers before any traffic is routed");
        shift(first, 100);
        assertInstanceOf(GreenPromoted.class, bus.call(PromoteGreen.newBuilder().setHeader(header(first)).setStep("promote-green")
                .setFencingToken(FencingTokens.next()).setVersion("1.0.0").setComponents(List.of("web")).build(), WAIT));
        assertEquals(Map.of("1.0.0", 20), Http.split(FRONT, 20));

        String second = UUID.randomUUID().toString();
        GreenDeployed green = deploy(second, "2.0.0");
        assertEquals("green", green.getSlot());
        ReleaseEndpoint endpoint = green.getEndpoints().get(0);
        assertEquals("web", endpoint.getComponent());
        assertEquals("http://127.0.0.1:" + GREEN, endpoint.getUrl(), "the health-watcher scrapes the new slot itself");
        assertEquals("http://127.0.0.1:" + BLUE, endpoint.getBaselineUrl(), "and compares it with the serving one");
        assertEquals("2.0.0", Http.version(GREEN), "the advertised endpoint is the new release");
        assertEquals(Map.of("1.0.0", 20), Http.split(FRONT, 20), "a deployed candidate gets no traffic before the shift");

        shift(second, 10);
        Map<String, Integer> ten = Http.split(FRONT, 200);
        assertEquals(200, ten.getOrDefault("1.0.0", 0) + ten.getOrDefault("2.0.0", 0), ten.toString());
        assertTrue(ten.getOrDefault("2.0.0", 0) >= 14 && ten.getOrDefault("2.0.0", 0) <= 26, "about 10% on 2.0.0: " + ten);
        String conf = Files.readString(ExecutorTestResource.STATE.resolve("nginx").resolve("nginx.conf"));
        assertTrue(conf.contains("server 127.0.0.1:" + BLUE + " weight=90;") && conf.contains("server 127.0.0.1:" + GREEN + " weight=10;"), conf);

        shift(second, 50);
        Map<String, Integer> half = Http.split(FRONT, 100);
        assertTrue(half.getOrDefault("2.0.0", 0) >= 40 && half.getOrDefault("2.0.0", 0) <= 60, "about 50% on 2.0.0: " + half);

        shift(second, 100);
        assertEquals(Map.of("2.0.0", 50), Http.split(FRONT, 50), "blue-green switch: every request on the new slot");
        assertEquals("1.0.0", Http.version(BLUE), "the previous slot stays up for instant rollback");

        TrafficRolledBack back = assertInstanceOf(TrafficRolledBack.class, bus.call(RollbackTraffic.newBuilder().setHeader(header(second))
                .setStep("rollback-traffic").setFencingToken(FencingTokens.next()).setComponents(List.of("web")).build(), WAIT));
        assertEquals("blue", back.getSlot());
        assertEquals(Map.of("1.0.0", 50), Http.split(FRONT, 50));

        GreenRemoved removed = assertInstanceOf(GreenRemoved.class, bus.call(RemoveGreen.newBuilder().setHeader(header(second))
                .setStep("remove-green").setFencingToken(FencingTokens.next()).setComponents(List.of("web")).build(), WAIT));
        assertEquals("green", removed.getSlot());
        assertNull(Http.version(GREEN), "the removed slot's process is stopped");
        assertFalse(Files.exists(ExecutorTestResource.STATE.resolve("pids").resolve("development-" + project + "-web-green.pid")));
        assertTrue(Files.exists(ExecutorTestResource.STATE.resolve("pids").resolve("development-" + project + "-web-blue.pid")), "./runway down finds the live slot");
        assertEquals(Map.of("1.0.0", 20), Http.split(FRONT, 20));
    }

    @Test
    void shouldUndoTheShiftOfAFirstReleaseByClosingItsFrontThenRemoveIt() throws Exception {
        // A saga whose monitoring window fails after the first release of a project environment took all traffic.
        String first = UUID.randomUUID().toString();
        assertEquals("blue", deploy(first, "1.0.0").getSlot());
        shift(first, 100);
        assertEquals(Map.of("1.0.0", 20), Http.split(FRONT, 20));

        TrafficRolledBack back = assertInstanceOf(TrafficRolledBack.class, bus.call(RollbackTraffic.newBuilder().setHeader(header(first))
                .setStep("undo-shift-traffic").setFencingToken(FencingTokens.next()).setComponents(List.of("web")).build(), WAIT));
        assertEquals(HostTarget.FIRST_RELEASE_UNDONE, back.getSlot());
        assertNull(Http.version(FRONT), "nothing served before the first release, so its front is closed again");
        assertEquals("1.0.0", Http.version(BLUE), "the release itself is stopped by RemoveGreen, not by the traffic undo");

        GreenRemoved removed = assertInstanceOf(GreenRemoved.class, bus.call(RemoveGreen.newBuilder().setHeader(header(first))
                .setStep("undo-deploy-green").setFencingToken(FencingTokens.next()).setComponents(List.of("web")).build(), WAIT));
        assertEquals("blue", removed.getSlot());
        assertNull(Http.version(BLUE), "the removed slot's process is stopped");
        assertFalse(Files.exists(ExecutorTestResource.STATE.resolve("pids").resolve("development-" + project + "-web-blue.pid")));

        // The project environment is as before its first release: the next one is a first release again.
        String second = UUID.randomUUID().toString();
        GreenDeployed again = deploy(second, "1.0.1");
        assertNull(again.getEndpoints().get(0).getBaselineUrl(), "no version serves to compare with");
        shift(second, 100);
        assertEquals(Map.of("1.0.1", 20), Http.split(FRONT, 20));
    }

    @Test
    void shouldDeployNextToTheReleaseThatTookAllTrafficEvenUnpromoted() throws Exception {
        // The orchestrator's sagas end at ShiftTraffic 100 without PromoteGreen: the 100 % slot is what serves.
        String first = UUID.randomUUID().toString();
        assertEquals("blue", deploy(first, "1.0.0").getSlot());
        shift(first, 100);
        String second = UUID.randomUUID().toString();
        assertEquals("green", deploy(second, "1.1.0").getSlot());
        shift(second, 10);
        shift(second, 100);
        assertEquals(Map.of("1.1.0", 20), Http.split(FRONT, 20));

        String third = UUID.randomUUID().toString();
        GreenDeployed next = deploy(third, "1.2.0");
        assertEquals("blue", next.getSlot(), "never the slot that serves all traffic");
        assertEquals("http://127.0.0.1:" + GREEN, next.getEndpoints().get(0).getBaselineUrl());
        assertEquals(Map.of("1.1.0", 20), Http.split(FRONT, 20), "1.1.0 keeps serving while 1.2.0 starts");
        shift(third, 10);
        TrafficRolledBack back = assertInstanceOf(TrafficRolledBack.class, bus.call(RollbackTraffic.newBuilder().setHeader(header(third))
                .setStep("rollback-traffic").setFencingToken(FencingTokens.next()).setComponents(List.of("web")).build(), WAIT));
        assertEquals("green", back.getSlot());
        assertEquals(Map.of("1.1.0", 20), Http.split(FRONT, 20), "traffic back on 1.1.0");
    }

    @Test
    void shouldRefuseToDecommissionTheLiveSlotAndStopTheOldOneAfterPromotion() throws Exception {
        String first = UUID.randomUUID().toString();
        deploy(first, "1.0.0");
        shift(first, 100);
        StepFailed refused = assertInstanceOf(StepFailed.class, bus.call(Decommission.newBuilder().setHeader(header(first))
                .setStep("decommission-blue").setFencingToken(FencingTokens.next()).setSlot("blue").setComponents(List.of("web")).build(), WAIT));
        assertEquals("SLOT_IN_USE", refused.getCode());
        assertEquals("1.0.0", Http.version(FRONT));

        String second = UUID.randomUUID().toString();
        deploy(second, "1.1.0");
        shift(second, 100);
        bus.call(PromoteGreen.newBuilder().setHeader(header(second)).setStep("promote-green").setFencingToken(FencingTokens.next())
                .setVersion("1.1.0").setComponents(List.of("web")).build(), WAIT);
        Decommissioned done = assertInstanceOf(Decommissioned.class, bus.call(Decommission.newBuilder().setHeader(header(second))
                .setStep("decommission-blue").setFencingToken(FencingTokens.next()).setSlot("blue").setComponents(List.of("web")).build(), WAIT));
        assertEquals("blue", done.getSlot());
        assertNull(Http.version(BLUE));
        assertEquals(Map.of("1.1.0", 20), Http.split(FRONT, 20));
    }

    /** A dry run's three traffic commands, answered as they would be: nothing started, routed or saved. */
    void dryRun(String deploymentId, String version, String expectedSlot) {
        GreenDeployed planned = assertInstanceOf(GreenDeployed.class, bus.call(DeployGreen.newBuilder().setHeader(header(deploymentId))
                .setStep("deploy-green").setFencingToken(0L).setDryRun(true).setVersion(version).setTarget(TargetKind.HOST)
                .setStrategy(Strategy.BLUE_GREEN).setRepository(DEMO_REPO).setComponents(List.of(web())).build(), WAIT));
        assertEquals(expectedSlot, planned.getSlot());
        TrafficShifted shifted = assertInstanceOf(TrafficShifted.class, bus.call(ShiftTraffic.newBuilder().setHeader(header(deploymentId))
                .setStep("shift-traffic-100").setFencingToken(0L).setDryRun(true).setVersion(version).setPercent(100)
                .setComponents(List.of("web")).build(), WAIT));
        assertEquals(expectedSlot, shifted.getSlot());
        GreenPromoted promoted = assertInstanceOf(GreenPromoted.class, bus.call(PromoteGreen.newBuilder().setHeader(header(deploymentId))
                .setStep("promote-green").setFencingToken(0L).setDryRun(true).setVersion(version).setComponents(List.of("web")).build(), WAIT));
        assertEquals(expectedSlot, promoted.getSlot());
    }

    @Test
    void shouldAnswerADryRunsTrafficCommandsBeforeAndAfterARealReleaseWithoutTouchingTheHost() throws Exception {
        // Before any release: the dry run plans blue and leaves no slot, port or process behind.
        dryRun(UUID.randomUUID().toString(), "0.9.0", "blue");
        assertNull(Http.version(BLUE), "a dry run starts no release");
        assertFalse(Files.exists(ExecutorTestResource.STATE.resolve("slots")) && hasSlotState(ExecutorTestResource.STATE.resolve("slots")),
                "a dry run saves no slot state");

        String first = UUID.randomUUID().toString();
        deploy(first, "1.0.0");
        shift(first, 100);
        String conf = Files.readString(ExecutorTestResource.STATE.resolve("nginx").resolve("nginx.conf"));

        // After it: the dry run plans green, and blue keeps serving every request through the same nginx config.
        dryRun(UUID.randomUUID().toString(), "2.0.0", "green");
        assertNull(Http.version(GREEN), "a dry run starts no release");
        assertEquals(conf, Files.readString(ExecutorTestResource.STATE.resolve("nginx").resolve("nginx.conf")), "nor routes traffic");
        assertEquals(Map.of("1.0.0", 20), Http.split(FRONT, 20));
    }

    static boolean hasSlotState(Path slots) throws Exception {
        try (var files = Files.walk(slots)) {
            return files.anyMatch(p -> p.getFileName().toString().endsWith(".json"));
        }
    }

    static void deleteTree(Path dir) throws Exception {
        if (Files.exists(dir)) {
            try (var files = Files.walk(dir)) {
                for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
    }
}
