package dev.runway.orchestrator.deployment;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import dev.runway.events.Environment;
import dev.runway.orchestrator.lock.EnvironmentLock;
import dev.runway.orchestrator.outbox.OutboxRelay;
import dev.runway.orchestrator.saga.Action;
import dev.runway.orchestrator.saga.DeploymentState;
import dev.runway.orchestrator.saga.Effect;
import dev.runway.orchestrator.saga.Saga;
import dev.runway.orchestrator.saga.SagaStep;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.scheduler.Scheduled;
import io.quarkus.vertx.core.runtime.context.VertxContextSafetyToggle;
import io.smallrye.common.vertx.VertxContext;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;

/**
 * Keeps every saga moving: moves a saga whose participant went silent past its deadline to
 * compensation or NEEDS_ATTENTION, re-opens gates (deployment window, environment queue), and
 * renews the environment leases of running sagas — recovering a lease lost to a crash. Because all
 * saga state is in Postgres and every command is in the outbox, this loop is also what resumes
 * unfinished sagas after a restart.
 */
@ApplicationScoped
public class SagaWatchdog {

    private static final Logger LOG = Logger.getLogger(SagaWatchdog.class);

    /** States of a saga waiting at a gate, which a pass may open. */
    private static final List<DeploymentState> AT_GATES = List.of(DeploymentState.AWAITING_WINDOW, DeploymentState.QUEUED,
            DeploymentState.AWAITING_APPROVAL);

    private final SagaRunner runner;
    private final EnvironmentLock lock;
    private final OutboxRelay relay;
    private final Vertx vertx;
    private final AtomicBoolean running = new AtomicBoolean();
    private final AtomicBoolean again = new AtomicBoolean();
    private volatile Instant lastRenewal = Instant.EPOCH;

    public SagaWatchdog(SagaRunner runner, EnvironmentLock lock, OutboxRelay relay, Vertx vertx) {
        this.runner = runner;
        this.lock = lock;
        this.relay = relay;
        this.vertx = vertx;
    }

    @Scheduled(every = "${runway.watchdog.every:1s}", delayed = "3s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void tick() {
        soon();
    }

    /** Runs a pass now (e.g. a lock was released and the next deployment in line may start). */
    public void soon() {
        if (!running.compareAndSet(false, true)) {
            again.set(true);
            return;
        }
        // A fresh duplicated context: never the caller's, whose Hibernate session may be in use or closing.
        var context = VertxContext.createNewDuplicatedContext(vertx.getOrCreateContext());
        VertxContextSafetyToggle.setContextSafe(context, true);
        context.runOnContext(ignored -> pass().onTermination().invoke(() -> {
            running.set(false);
            if (again.getAndSet(false)) {
                soon();
            }
        }).subscribe().with(x -> { }, failure -> LOG.warnf("watchdog pass failed: %s", failure.getMessage())));
    }

    private Uni<Void> pass() {
        Instant now = Instant.now();
        return expired(now)
                .flatMap(x -> gates())
                .flatMap(x -> renewLeases(now))
                .invoke(relay::kick);
    }

    private Uni<Void> expired(Instant now) {
        return eachDeployment(Panache.withSession(() -> Deployment.<Deployment>find(
                        "finishedAt is null and deadlineAt < ?1 order by createdAt", now).list()),
                d -> {
                    SagaRunner.Loaded run = runner.load(d);
                    Saga saga = run.saga();
                    String step = saga.currentStepName();
                    if (step == null || d.deadlineAt == null || d.deadlineAt.isAfter(Instant.now())) {
                        return Uni.createFrom().item(false);
                    }
                    String why = "no outcome by " + d.deadlineAt;
                    List<Effect> effects = saga.abort(Saga.Abort.TIMEOUT, step, why);
                    return runner.apply(run, effects, new SagaRunner.Cause("watchdog", null, why)).replaceWith(true);
                });
    }

    private Uni<Void> gates() {
        return eachDeployment(Panache.withSession(() -> Deployment.<Deployment>find(
                        "finishedAt is null and state in ?1 order by createdAt", AT_GATES)
                .list()),
                d -> {
                    SagaRunner.Loaded run = runner.load(d);
                    Saga saga = run.saga();
                    SagaStep step = saga.current();
                    if (saga.phase() != Saga.Phase.FORWARD || step.action().kind() != Action.Kind.GATE) {
                        return Uni.createFrom().item(false);
                    }
                    return runner.gate(run).flatMap(effects -> effects.isEmpty() ? Uni.createFrom().item(false)
                            : runner.apply(run, effects, SagaRunner.Cause.system("gate open")).replaceWith(true));
                });
    }

    private Uni<Void> renewLeases(Instant now) {
        if (Duration.between(lastRenewal, now).compareTo(lock.lease().dividedBy(3)) < 0) {
            return Uni.createFrom().voidItem();
        }
        lastRenewal = now;
        return eachDeployment(Panache.withSession(() -> Deployment.<Deployment>find("finishedAt is null and lockHeld = true").list()),
                d -> {
                    Environment env = Environment.valueOf(d.environment);
                    return lock.renew(d.project, env, d.id.toString(), d.fencingToken).flatMap(kept -> {
                        if (kept) {
                            return Uni.createFrom().item(false);
                        }
                        // The lease expired (the orchestrator was down longer than its TTL): take it
                        // back with a new, higher token, so commands under the old one are refused.
                        return lock.reacquire(d.project, env, d.id.toString(), d.fencingToken).flatMap(token -> {
                            if (token.isEmpty()) {
                                LOG.errorf("deployment %s lost the %s/%s lock to another holder", d.id, d.project, env);
                                return runner.audit(d, SagaRunner.Cause.system(null), "lock-lost",
                                        "lease expired and the project environment is held by another deployment").replaceWith(true);
                            }
                            long old = d.fencingToken;
                            d.fencingToken = token.get();
                            return runner.audit(d, SagaRunner.Cause.system(null), "lock-recovered",
                                    "lease expired; re-acquired with fencing token " + token.get() + " (was " + old + ")")
                                    .replaceWith(true);
                        });
                    });
                });
    }

    /** Applies {@code work} to each deployment in its own transaction, on fresh state, retrying conflicts. */
    private Uni<Void> eachDeployment(Uni<List<Deployment>> candidates, Function<Deployment, Uni<Boolean>> work) {
        return candidates.flatMap(list -> Multi.createFrom().iterable(list.stream().map(d -> d.id).toList())
                .onItem().transformToUniAndConcatenate(id -> one(id, work))
                .collect().last().replaceWithVoid());
    }

    private Uni<Boolean> one(UUID id, Function<Deployment, Uni<Boolean>> work) {
        return Panache.withTransaction(() -> Deployment.<Deployment>findById(id)
                        .flatMap(d -> d == null || d.finishedAt != null ? Uni.createFrom().item(false) : work.apply(d)))
                .onFailure().retry().withBackOff(Duration.ofMillis(20), Duration.ofMillis(500)).atMost(5)
                .onFailure().recoverWithItem(failure -> {
                    LOG.warnf("watchdog could not move deployment %s: %s", id, failure.getMessage());
                    return false;
                });
    }
}
