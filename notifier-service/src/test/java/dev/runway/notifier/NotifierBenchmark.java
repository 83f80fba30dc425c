package dev.runway.notifier;

import static io.restassured.RestAssured.given;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import dev.runway.events.Environment;
import dev.runway.notifier.support.Events;
import dev.runway.notifier.support.NotifierEndpointsResource;
import dev.runway.notifier.support.NotifierScenario;
import dev.runway.testsupport.BackboneTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;

/**
 * Prints how fast events become stored deliveries and how fast those are sent (Slack + e-mail +
 * audit webhook per event, real local endpoints, one deployment = one partition, the worst case).
 * Not part of the build: {@code ../mvnw -o test -Dtest=NotifierBenchmark -Dsurefire.failIfNoSpecifiedTests=false}.
 */
@QuarkusTest
@QuarkusTestResource(value = BackboneTestResource.class, initArgs = @ResourceArg(name = "database", value = "runway_notifier_test"))
@QuarkusTestResource(NotifierEndpointsResource.class)
class NotifierBenchmark extends NotifierScenario {

    private static final int EVENTS = Integer.getInteger("benchmark.events", 300);

    @Test
    void printThroughput() {
        String id = newDeploymentId();
        Events events = new Events(id, Environment.PRODUCTION, "bench-app");
        long start = System.nanoTime();
        for (int i = 0; i < EVENTS; i++) {
            producer.send(new org.apache.kafka.clients.producer.ProducerRecord<>(dev.runway.events.Topics.DEPLOYMENTS, id,
                    events.stepStarted("step-" + i)));
        }
        producer.flush();
        long published = System.nanoTime();
        int expected = EVENTS * 3;
        long stored = waitFor(id, null, expected);
        long delivered = waitFor(id, "DELIVERED", expected);
        System.out.printf("%nNotifierBenchmark: %d events -> %d deliveries (Slack, e-mail, webhook)%n", EVENTS, expected);
        System.out.printf("  publish:              %6d ms%n", ms(start, published));
        System.out.printf("  all stored (intake):  %6d ms  = %.0f events/s through one partition%n", ms(start, stored),
                EVENTS * 1000.0 / ms(start, stored));
        System.out.printf("  all delivered:        %6d ms  = %.0f deliveries/s end to end%n%n", ms(start, delivered),
                expected * 1000.0 / ms(start, delivered));
    }

    private static long waitFor(String id, String status, int expected) {
        long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
        while (System.nanoTime() < deadline) {
            var request = given().header("Authorization", dev.runway.notifier.support.Tokens.sre()).queryParam("deploymentId", id).queryParam("size", 1);
            if (status != null) {
                request = request.queryParam("status", status);
            }
            int total = request.when().get("/deliveries").then().extract().path("total");
            if (total >= expected) {
                return System.nanoTime();
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return System.nanoTime();
            }
        }
        throw new AssertionError("not all " + expected + " deliveries reached " + status + " in 5 min");
    }

    private static long ms(long from, long to) {
        return (to - from) / 1_000_000;
    }
}
