package dev.runway.orchestrator.deployment;

import java.time.Clock;
import java.time.Duration;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import dev.runway.events.Environment;
import dev.runway.orchestrator.decommission.KeptReleases;
import dev.runway.orchestrator.lock.EnvironmentLock;
import dev.runway.orchestrator.metrics.SagaMetrics;
import dev.runway.orchestrator.saga.SagaStep;
import io.smallrye.mutiny.Uni;

/**
 * The orchestrator's own steps: the approval, window and lock gates, and releasing the project
 * environment's lock. A dry run passes every gate and never takes the lock.
 */
@ApplicationScoped
public class Gates {

    private final EnvironmentLock lock;
    private final SagaMetrics metrics;
    private final Clock clock = Clock.systemUTC();

    public Gates(EnvironmentLock lock, SagaMetrics metrics) {
        this.lock = lock;
        this.metrics = metrics;
    }

    /** Whether the gate of {@code step} is open now; for the lock gate, opening means the lock was taken. */
    public Uni<Boolean> open(Deployment d, DeploymentPlan plan, SagaStep step) {
        if (d.dryRun) {
            return Uni.createFrom().item(true);
        }
        return switch (step.action()) {
            case APPROVAL -> Approval.count("deploymentId", d.id).map(given -> given >= d.requiredApprovals);
            case WINDOW -> Uni.createFrom().item(d.windowOverride || plan.window() == null || plan.window().isOpen(clock.instant()));
            case ACQUIRE_LOCK -> acquire(d);
            default -> throw new IllegalStateException("not a gate: " + step.action());
        };
    }

    private Uni<Boolean> acquire(Deployment d) {
        Environment env = Environment.valueOf(d.environment);
        return tokenFloor(d.project, d.environment)
                .flatMap(floor -> lock.enqueue(d.project, env, d.id.toString(), d.createdAt.toEpochMilli())
                        .flatMap(x -> lock.tryAcquire(d.project, env, d.id.toString(), floor)))
                .flatMap(token -> {
                    if (token.isEmpty()) {
                        return clearDeadHead(env, d).replaceWith(false);
                    }
                    d.fencingToken = token.get();
                    d.lockHeld = true;
                    d.startedAt = clock.instant();
                    metrics.lockWait(d.environment, Duration.between(d.createdAt, d.startedAt));
                    return Uni.createFrom().item(true);
                });
    }

    /**
     * A queue head that is not a live deployment (it ended while Redis missed the dequeue, or its
     * row is gone) would block the project environment forever: drop it; the next pass lets the queue move.
     */
    private Uni<Void> clearDeadHead(Environment env, Deployment waiting) {
        return lock.queue(waiting.project, env).flatMap(queue -> {
            if (queue.isEmpty() || queue.get(0).equals(waiting.id.toString())) {
                return Uni.createFrom().voidItem();
            }
            String head = queue.get(0);
            UUID headId;
            try {
                headId = UUID.fromString(head);
            } catch (IllegalArgumentException e) {
                return lock.dequeue(waiting.project, env, head);
            }
            return Deployment.<Deployment>findById(headId).flatMap(found -> found == null || found.finishedAt != null
                    ? lock.dequeue(waiting.project, env, head)
                    : Uni.createFrom().voidItem());
        });
    }

    /**
     * Highest token Postgres has seen for the project environment, given to a deployment or to a
     * Decommission of a kept release: Redis never goes below it, so the executor never sees a token go back.
     */
    public Uni<Long> tokenFloor(String project, String environment) {
        return Deployment.<Deployment>find("project = ?1 and environment = ?2 and fencingToken is not null "
                + "order by fencingToken desc", project, environment).firstResult()
                .map(top -> top == null ? 0L : top.fencingToken)
                .flatMap(deployments -> KeptReleases.highestToken(project, environment).map(kept -> Math.max(deployments, kept)));
    }

    /** Frees the project environment: releases the lock, or leaves the queue if it was never taken. */
    public Uni<Void> releaseLock(Deployment d) {
        Environment env = Environment.valueOf(d.environment);
        if (!d.lockHeld) {
            return lock.dequeue(d.project, env, d.id.toString());
        }
        d.lockHeld = false;
        return lock.release(d.project, env, d.id.toString(), d.fencingToken).replaceWithVoid();
    }
}
