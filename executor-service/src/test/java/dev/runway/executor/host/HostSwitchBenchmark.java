package dev.runway.executor.host;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import dev.runway.events.ComponentSpec;
import dev.runway.events.DeployGreen;
import dev.runway.events.Environment;
import dev.runway.events.EventHeader;
import dev.runway.events.GreenDeployed;
import dev.runway.events.GreenPromoted;
import dev.runway.events.PromoteGreen;
import dev.runway.events.ShiftTraffic;
import dev.runway.events.Strategy;
import dev.runway.events.TargetKind;
import dev.runway.events.TrafficShifted;
import dev.runway.executor.support.ClientDatabases;
import dev.runway.executor.support.CommandBus;
import dev.runway.executor.support.ExecutorSettings;
import dev.runway.executor.support.ExecutorTestResource;
import dev.runway.executor.support.FencingTokens;
import dev.runway.executor.support.Http;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * Time of a blue-green switch on the host target: from sending ShiftTraffic(100) on Kafka until
 * every request through nginx is answered by the new slot (checked with real HTTP), over RUNS
 * switches between alternately deployed demo-app releases. Prints median and p99; asserts nothing
 * about the figures. Run: ./mvnw -o -pl executor-service test -Dtest=HostSwitchBenchmark -Dsurefire.failIfNoSpecifiedTests=false
 */
@QuarkusTest
@QuarkusTestResource(ExecutorTestResource.class)
class HostSwitchBenchmark {

    static final int RUNS = Integer.getInteger("runs", 21);
    static final Duration WAIT = Duration.ofSeconds(120);
    static final int FRONT = ExecutorSettings.DEV_NGINX;

    final HostSlots host;
    final String project = ClientDatabases.newProject();

    HostSwitchBenchmark(HostSlots host) {
        this.host = host;
    }

    EventHeader header(String deploymentId) {
        return CommandBus.header(deploymentId, Environment.DEVELOPMENT, project);
    }

    @Test
    void blueGreenSwitch() throws Exception {
        host.stopEverything();
        HostTargetTest.deleteTree(ExecutorTestResource.STATE.resolve("slots"));
        List<Long> commandToTrafficMs = new ArrayList<>();
        List<Long> commandToReplyMs = new ArrayList<>();
        try (CommandBus bus = new CommandBus()) {
            for (int run = 0; run <= RUNS; run++) {
                String deploymentId = UUID.randomUUID().toString();
                String version = "1.0." + run;
                assertInstanceOf(GreenDeployed.class, bus.call(DeployGreen.newBuilder().setHeader(header(deploymentId)).setStep("deploy-green")
                        .setFencingToken(FencingTokens.next()).setVersion(version).setTarget(TargetKind.HOST).setStrategy(Strategy.BLUE_GREEN).setRepository(HostTargetTest.DEMO_REPO)
                        .setComponents(List.of(ComponentSpec.newBuilder().setName("web").setArtifact(HostTargetTest.DEMO).setHealthcheck("/health").build()))
                        .build(), WAIT));
                ShiftTraffic shift = ShiftTraffic.newBuilder().setHeader(header(deploymentId)).setStep("shift-traffic-100")
                        .setFencingToken(FencingTokens.next()).setVersion(version).setPercent(100).setComponents(List.of("web")).build();
                long start = System.nanoTime();
                bus.send(shift);
                // Five requests in a row answered by the new release, asked back to back (the figure is the point).
                AtomicInteger inARow = new AtomicInteger();
                await("switch to " + version + " visible").atMost(WAIT).pollInSameThread().pollDelay(Duration.ZERO)
                        .pollInterval(Duration.ofMillis(1))
                        .until(() -> {
                            if (version.equals(Http.version(FRONT))) {
                                return inARow.incrementAndGet() >= 5;
                            }
                            inARow.set(0);
                            return false;
                        });
                long visible = System.nanoTime();
                assertInstanceOf(TrafficShifted.class, bus.reply(shift.getHeader().getEventId(), WAIT));
                long replied = System.nanoTime();
                assertInstanceOf(GreenPromoted.class, bus.call(PromoteGreen.newBuilder().setHeader(header(deploymentId)).setStep("promote-green")
                        .setFencingToken(FencingTokens.next()).setVersion(version).setComponents(List.of("web")).build(), WAIT));
                if (run > 0) { // run 0 starts nginx itself: not a switch
                    commandToTrafficMs.add((visible - start) / 1_000_000);
                    commandToReplyMs.add((replied - start) / 1_000_000);
                }
            }
        } finally {
            host.stopEverything();
        }
        System.out.printf("%nHostSwitchBenchmark: blue-green switch on the host target over %d runs%n", commandToTrafficMs.size());
        System.out.printf("  ShiftTraffic(100) sent -> every request through nginx answered by the new slot: median %d ms, p99 %d ms (min %d, max %d)%n",
                percentile(commandToTrafficMs, 50), percentile(commandToTrafficMs, 99), Collections.min(commandToTrafficMs), Collections.max(commandToTrafficMs));
        System.out.printf("  ShiftTraffic(100) sent -> TrafficShifted received (includes the executor's own HTTP check): median %d ms, p99 %d ms%n%n",
                percentile(commandToReplyMs, 50), percentile(commandToReplyMs, 99));
    }

    static long percentile(List<Long> values, int p) {
        List<Long> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        int index = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(index, sorted.size() - 1)));
    }
}
