package dev.runway.notifier;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;

import java.time.Duration;

import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

import dev.runway.events.Environment;
import dev.runway.events.Topics;
import dev.runway.notifier.support.Events;
import dev.runway.notifier.support.NotifierEndpointsResource;
import dev.runway.notifier.support.NotifierScenario;
import dev.runway.testsupport.BackboneTestResource;
import dev.runway.testsupport.Tokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.specification.RequestSpecification;

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
            producer.send(new ProducerRecord<>(Topics.DEPLOYMENTS, id, events.stepStarted("step-" + i)));
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

    /** When (System.nanoTime) the deployment had {@code expected} deliveries, of {@code status} if given. */
    private static long waitFor(String id, String status, int expected) {
        await("all " + expected + " deliveries " + (status == null ? "stored" : status)).atMost(Duration.ofMinutes(5))
                .pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(50))
                .until(() -> total(id, status) >= expected);
        return System.nanoTime();
    }

    private static int total(String id, String status) {
        RequestSpecification request = given().header("Authorization", Tokens.sre()).queryParam("deploymentId", id).queryParam("size", 1);
        if (status != null) {
            request = request.queryParam("status", status);
        }
        return request.when().get("/deliveries").then().extract().path("total");
    }

    private static long ms(long from, long to) {
        return (to - from) / 1_000_000;
    }
}
