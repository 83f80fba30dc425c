package dev.runway.orchestrator.bench;

import static io.restassured.RestAssured.given;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.Test;

import dev.runway.events.DeploymentSucceeded;
import dev.runway.events.StopWatch;
import dev.runway.orchestrator.support.Manifests;
import dev.runway.orchestrator.support.Participants;
import dev.runway.testsupport.Tokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

/**
 * Time from {@code POST /deployments} to the {@code DeploymentSucceeded} record on
 * {@code runway.deployments}, for sagas whose participants (played by the test on the real
 * broker) answer at once: staging, blue-green, no database, monitoring window 0. Sequential, so
 * every saga also takes and releases the environment lock. Prints figures; asserts nothing about time.
 *
 * <p>Run: {@code ./mvnw -o -pl orchestrator-service test -Dtest=SagaLatencyBenchmark -Dsurefire.failIfNoSpecifiedTests=false}
 * ({@code -Dbench.runs=N -Dbench.warmup=M} to change the counts).
 */
@QuarkusTest
@QuarkusTestResource(value = BenchBackbone.class, restrictToAnnotatedClass = true)
class SagaLatencyBenchmark {

    private static final String DEPLOYER = Tokens.bearer("dana", "deployer");

    @Test
    void postToSucceeded() {
        int warmup = Integer.getInteger("bench.warmup", 20);
        int runs = Integer.getInteger("bench.runs", 200);
        String project = "bench" + UUID.randomUUID().toString().substring(0, 8);
        String manifest = Manifests.of(project, false, "strategy: blue-green");
        long[] micros = new long[runs];
        List<Long> turns = new ArrayList<>();
        try (Participants participants = new Participants()) {
            for (int i = 0; i < warmup; i++) {
                once(participants, project, manifest, new ArrayList<>());
            }
            long start = System.nanoTime();
            for (int i = 0; i < runs; i++) {
                micros[i] = once(participants, project, manifest, turns) / 1_000;
            }
            long wall = System.nanoTime() - start;
            Arrays.sort(micros);
            long[] turn = turns.stream().mapToLong(t -> t / 1_000).sorted().toArray();
            System.out.printf("%nSagaLatencyBenchmark: POST -> DeploymentSucceeded observed on runway.deployments%n"
                    + "  %d sequential blue-green sagas to staging (no database, monitoring 0, participants answer at once), %d warm-up%n"
                    + "  median %.1f ms, p90 %.1f ms, p99 %.1f ms, max %.1f ms, min %.1f ms%n"
                    + "  throughput %.2f deployments/s (sequential, %.1f s wall); %d cores, load average %.2f%n"
                    + "  per hop (POST or reply sent -> next command or DeploymentSucceeded seen, %d hops):"
                    + " median %.1f ms, p90 %.1f ms, p99 %.1f ms%n%n",
                    runs, warmup, ms(pct(micros, 50)), ms(pct(micros, 90)), ms(pct(micros, 99)), ms(micros[runs - 1]),
                    ms(micros[0]), runs / (wall / 1e9), wall / 1e9, Runtime.getRuntime().availableProcessors(),
                    ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage(),
                    turn.length, ms(pct(turn, 50)), ms(pct(turn, 90)), ms(pct(turn, 99)));
        }
    }

    /**
     * One saga, answered as {@link Participants#answerUntil} would; returns nanoseconds from just
     * before the POST to the DeploymentSucceeded record, and adds to {@code turns} the time from
     * each reply (or the POST) to the next command or the final event: the orchestrator's
     * turn-around including the two Kafka hops.
     */
    private static long once(Participants participants, String project, String manifest, List<Long> turns) {
        Map<String, Object> body = new HashMap<>();
        body.put("project", project);
        body.put("version", "1.4.2");
        body.put("environment", "staging");
        body.put("manifest", manifest);
        long t0 = System.nanoTime();
        String id = given().header("Authorization", DEPLOYER).contentType(ContentType.JSON).body(body)
                .when().post("/deployments")
                .then().statusCode(202).extract().path("id");
        long last = t0;
        while (true) {
            SpecificRecord command = participants.nextCommand(id);
            if (command instanceof StopWatch) {
                continue;
            }
            long now = System.nanoTime();
            turns.add(now - last);
            participants.send(Participants.success(command));
            last = System.nanoTime();
            if (Participants.step(command).equals("promote-green")) { // the last command of a blue-green saga
                break;
            }
        }
        participants.next(id, DeploymentSucceeded.class);
        long end = System.nanoTime();
        turns.add(end - last);
        return end - t0;
    }

    /** Nearest-rank percentile of sorted values. */
    private static long pct(long[] sorted, int p) {
        int rank = (int) Math.ceil(p / 100.0 * sorted.length);
        return sorted[Math.max(0, rank - 1)];
    }

    private static double ms(long micros) {
        return micros / 1_000.0;
    }
}
