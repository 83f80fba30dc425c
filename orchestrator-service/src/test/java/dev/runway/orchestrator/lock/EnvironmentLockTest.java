package dev.runway.orchestrator.lock;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.runway.events.Environment;
import dev.runway.orchestrator.support.Waits;
import dev.runway.testsupport.BackboneTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;

/**
 * The project environment lock against the real Redis. Each test uses a project of its own, so its
 * keys are its own whatever else runs on the same environment.
 */
@QuarkusTest
@QuarkusTestResource(value = BackboneTestResource.class, initArgs = {
        @ResourceArg(name = "database", value = "runway_orchestrator_test"),
        @ResourceArg(name = "jdbc", value = "true"),
        @ResourceArg(name = "redis", value = "true") })
class EnvironmentLockTest {

    private static final Duration WAIT = Duration.ofSeconds(5);
    private static final Environment ENV = Environment.UAT;
    /** This test's project: its lock, fence and queue are its own. */
    private final String project = "lock-" + UUID.randomUUID().toString().substring(0, 8);

    private final EnvironmentLock lock;
    /** Everything a test took or queued, given back after it whatever happened. */
    private final Map<String, Long> taken = new HashMap<>();
    /** Strictly increasing enqueue times: equal scores would order the queue by id. */
    private long clock = System.currentTimeMillis();

    EnvironmentLockTest(EnvironmentLock lock) {
        this.lock = lock;
    }

    private static String id() {
        return UUID.randomUUID().toString();
    }

    private Optional<Long> acquire(String id, long floor) {
        taken.putIfAbsent(id, 0L);
        lock.enqueue(project, ENV, id, ++clock).await().atMost(WAIT);
        Optional<Long> token = lock.tryAcquire(project, ENV, id, floor).await().atMost(WAIT);
        token.ifPresent(t -> taken.put(id, t));
        return token;
    }

    @AfterEach
    void giveBack() {
        taken.forEach((id, token) -> {
            lock.release(project, ENV, id, token).await().atMost(WAIT);
            lock.dequeue(project, ENV, id).await().atMost(WAIT);
        });
    }

    private void release(String id, long token) {
        lock.release(project, ENV, id, token).await().atMost(WAIT);
    }

    @Test
    void shouldGrantOneHolderAndQueueTheNextInOrder() {
        String a = id();
        String b = id();
        String c = id();
        long tokenA = acquire(a, 0).orElseThrow();
        assertTrue(acquire(b, 0).isEmpty(), "busy environment");
        assertTrue(acquire(c, 0).isEmpty());
        assertEquals(List.of(b, c), lock.queue(project, ENV).await().atMost(WAIT));
        assertEquals(a, lock.holder(project, ENV).await().atMost(WAIT).orElseThrow().deploymentId());
        release(a, tokenA);
        assertTrue(lock.tryAcquire(project, ENV, c, 0).await().atMost(WAIT).isEmpty(), "c may not jump the queue");
        long tokenB = lock.tryAcquire(project, ENV, b, 0).await().atMost(WAIT).orElseThrow();
        taken.put(b, tokenB);
        assertTrue(tokenB > tokenA);
        release(b, tokenB);
        long tokenC = lock.tryAcquire(project, ENV, c, 0).await().atMost(WAIT).orElseThrow();
        taken.put(c, tokenC);
        assertTrue(tokenC > tokenB);
        release(c, tokenC);
        assertTrue(lock.holder(project, ENV).await().atMost(WAIT).isEmpty());
    }

    @Test
    void shouldNeverIssueATokenBelowTheFloorPostgresRemembers() {
        String a = id();
        long token = acquire(a, 1_000_000).orElseThrow();
        assertTrue(token > 1_000_000, "token " + token);
        release(a, token);
    }

    @Test
    void shouldNotReleaseOrRenewUnderAStaleToken() {
        String a = id();
        long token = acquire(a, 0).orElseThrow();
        assertFalse(lock.release(project, ENV, a, token - 1).await().atMost(WAIT));
        assertFalse(lock.renew(project, ENV, a, token - 1).await().atMost(WAIT));
        assertTrue(lock.renew(project, ENV, a, token).await().atMost(WAIT));
        release(a, token);
    }

    @Test
    void shouldRecoverAnExpiredLeaseWithAHigherToken() {
        String a = id();
        long token = acquire(a, 0).orElseThrow();
        // The test profile's lease is 6 s; a crashed orchestrator renews nothing.
        Waits.await("the lease expiring").atMost(lock.lease().plusSeconds(5)).pollInterval(Duration.ofMillis(100))
                .until(() -> lock.holder(project, ENV).await().atMost(WAIT).isEmpty());
        assertFalse(lock.renew(project, ENV, a, token).await().atMost(WAIT), "the lease expired");
        long recovered = lock.reacquire(project, ENV, a, token).await().atMost(WAIT).orElseThrow();
        taken.put(a, recovered);
        assertTrue(recovered > token, "commands under the old token will be refused");
        String b = id();
        assertTrue(acquire(b, 0).isEmpty(), "the recovered holder keeps the environment");
        release(a, recovered);
        lock.dequeue(project, ENV, b).await().atMost(WAIT);
    }

    @Test
    void shouldGiveEachProjectEnvironmentItsOwnLockFenceAndQueue() {
        String other = "lock-" + UUID.randomUUID().toString().substring(0, 8);
        String a = id();
        String b = id();
        long tokenA = acquire(a, 0).orElseThrow();
        lock.enqueue(other, ENV, b, ++clock).await().atMost(WAIT);
        long tokenB = lock.tryAcquire(other, ENV, b, 0).await().atMost(WAIT).orElseThrow();
        assertEquals(1, tokenA, "fresh keys: the first token is 1");
        assertEquals(1, tokenB, "another project's counter is its own");
        assertEquals(b, lock.holder(other, ENV).await().atMost(WAIT).orElseThrow().deploymentId());
        assertEquals(a, lock.holder(project, ENV).await().atMost(WAIT).orElseThrow().deploymentId());
        assertTrue(lock.lockKey(other, ENV).contains(":pe:" + other + ":uat:lock"), lock.lockKey(other, ENV));
        assertTrue(lock.release(other, ENV, b, tokenB).await().atMost(WAIT));
        release(a, tokenA);
    }

    @Test
    void shouldKeyTheLockByTheProjectsSafeName() {
        assertTrue(lock.lockKey("My_Shop", Environment.STAGING).endsWith(":pe:my-shop:staging:lock"),
                lock.lockKey("My_Shop", Environment.STAGING));
    }
}
