package dev.runway.notifier.delivery;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.inject.Inject;

import org.eclipse.microprofile.faulttolerance.exceptions.CircuitBreakerOpenException;
import org.eclipse.microprofile.faulttolerance.exceptions.TimeoutException;
import org.junit.jupiter.api.Test;

import dev.runway.notifier.support.NotifierEndpointsResource;
import dev.runway.testsupport.BackboneTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.faulttolerance.api.CircuitBreakerState;
import io.smallrye.mutiny.Uni;

/** The per-endpoint guards as configured for tests: 4 s timeout, breaker over 4 calls at 75 %, 2 s open. */
@QuarkusTest
@QuarkusTestResource(value = BackboneTestResource.class, initArgs = @ResourceArg(name = "database", value = "runway_notifier_test"))
@QuarkusTestResource(NotifierEndpointsResource.class)
class EndpointGuardsTest {

    @Inject
    EndpointGuards guards;

    @Test
    void shouldOpenTheBreakerOfAFailingEndpointOnlyAndLetOneCallThroughAfterTheDelay() {
        String dead = "webhook:dead-" + UUID.randomUUID();
        String healthy = "webhook:healthy-" + UUID.randomUUID();
        AtomicInteger deadCalls = new AtomicInteger();
        for (int i = 0; i < 4; i++) {
            Throwable failure = assertThrows(RuntimeException.class, () -> guards.call(dead, () -> {
                deadCalls.incrementAndGet();
                return Uni.createFrom().failure(new DeliveryFailure("HTTP 503", false));
            }).await().atMost(Duration.ofSeconds(5)));
            assertInstanceOf(DeliveryFailure.class, failure);
        }
        assertEquals(CircuitBreakerState.OPEN, guards.states().get(dead));

        // Open: the endpoint is not even called.
        assertThrows(CircuitBreakerOpenException.class, () -> guards.call(dead, () -> {
            deadCalls.incrementAndGet();
            return Uni.createFrom().voidItem();
        }).await().atMost(Duration.ofSeconds(5)));
        assertEquals(4, deadCalls.get());

        // Another endpoint is unaffected.
        guards.call(healthy, () -> Uni.createFrom().voidItem()).await().atMost(Duration.ofSeconds(5));
        assertEquals(CircuitBreakerState.CLOSED, guards.states().get(healthy));

        // After the delay (2 s) one trial call goes through; success closes the breaker again. Calls
        // refused while it is still open never reach the endpoint.
        await("a trial call let through after the breaker's delay").atLeast(Duration.ofMillis(1_500)).atMost(Duration.ofSeconds(10))
                .until(() -> trialCall(dead, deadCalls));
        assertEquals(5, deadCalls.get());
        assertEquals(CircuitBreakerState.CLOSED, guards.states().get(dead));
    }

    @Test
    void shouldNotCountPermanentRefusalsAsAnOutage() {
        String refusing = "webhook:refusing-" + UUID.randomUUID();
        for (int i = 0; i < 6; i++) {
            assertThrows(DeliveryFailure.Permanent.class, () -> guards.call(refusing,
                    () -> Uni.createFrom().failure(new DeliveryFailure.Permanent("HTTP 410"))).await().atMost(Duration.ofSeconds(5)));
        }
        assertEquals(CircuitBreakerState.CLOSED, guards.states().get(refusing));
    }

    @Test
    void shouldTimeOutAnAttemptThatNeverAnswers() {
        long start = System.nanoTime();
        assertThrows(TimeoutException.class, () -> guards.call("webhook:silent-" + UUID.randomUUID(),
                () -> Uni.createFrom().<Void>nothing()).await().atMost(Duration.ofSeconds(10)));
        long tookMs = (System.nanoTime() - start) / 1_000_000;
        assertEquals(true, tookMs >= 3_900 && tookMs < 9_000, "timed out after " + tookMs + " ms");
    }

    /** Whether a successful call to {@code endpoint} got through its guard (false: refused, the breaker is open). */
    private boolean trialCall(String endpoint, AtomicInteger calls) {
        try {
            guards.call(endpoint, () -> {
                calls.incrementAndGet();
                return Uni.createFrom().voidItem();
            }).await().atMost(Duration.ofSeconds(5));
            return true;
        } catch (CircuitBreakerOpenException e) {
            return false;
        }
    }
}
