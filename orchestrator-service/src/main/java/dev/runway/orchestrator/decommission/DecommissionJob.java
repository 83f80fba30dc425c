package dev.runway.orchestrator.decommission;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import dev.runway.events.Envelopes;
import dev.runway.events.Environment;
import dev.runway.orchestrator.audit.AuditEntry;
import dev.runway.orchestrator.deployment.Deployment;
import dev.runway.orchestrator.deployment.Gates;
import dev.runway.orchestrator.lock.EnvironmentLock;
import dev.runway.orchestrator.outbox.Outbox;
import dev.runway.orchestrator.outbox.OutboxRelay;
import dev.runway.orchestrator.saga.participants.Command;
import dev.runway.orchestrator.saga.participants.ExecutorProxy;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.scheduler.Scheduled;
import io.quarkus.vertx.core.runtime.context.VertxContextSafetyToggle;
import io.smallrye.common.vertx.VertxContext;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;

/**
 * Sends {@code Decommission} for kept releases whose keep period is over. Safe with several
 * orchestrator instances: each row is claimed with {@code FOR UPDATE SKIP LOCKED} in its own
 * transaction, so exactly one instance acts on it. A due row is
 * <ul>
 * <li>skipped when a newer deployment of the project environment (a rollback is one) took its lock
 * since: that deployment's green went into the kept colour;</li>
 * <li>left waiting while a newer deployment has not reached the lock yet, or the lock is held;</li>
 * <li>else sent under the project environment's lock, taken like a deployment takes it: a fencing
 * token from the same counter, never below what Postgres remembers (deployments and
 * decommissions), so the executor orders it with the deployments and a later deployment's token is
 * higher still. The reply (or the reply deadline) frees the lock.</li>
 * </ul>
 */
@ApplicationScoped
public class DecommissionJob {

    private static final Logger LOG = Logger.getLogger(DecommissionJob.class);
    private static final int BATCH = 50;

    /** A newer deployment of the project environment than the one that kept the release. */
    private record Newer(Deployment deployment, boolean rollback) {
    }

    private final KeptReleases kept;
    private final ExecutorProxy executor;
    private final Outbox outbox;
    private final OutboxRelay relay;
    private final EnvironmentLock lock;
    private final Gates gates;
    private final Vertx vertx;
    private final AtomicBoolean running = new AtomicBoolean();

    public DecommissionJob(KeptReleases kept, ExecutorProxy executor, Outbox outbox, OutboxRelay relay, EnvironmentLock lock,
            Gates gates, Vertx vertx) {
        this.kept = kept;
        this.executor = executor;
        this.outbox = outbox;
        this.relay = relay;
        this.lock = lock;
        this.gates = gates;
        this.vertx = vertx;
    }

    @Scheduled(every = "${runway.decommission.every}", delayed = "5s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void tick() {
        if (!running.compareAndSet(false, true)) {
            return;
        }
        // A fresh duplicated context, as the watchdog does: Hibernate Reactive needs a safe one of its own.
        var context = VertxContext.createNewDuplicatedContext(vertx.getOrCreateContext());
        VertxContextSafetyToggle.setContextSafe(context, true);
        context.runOnContext(ignored -> pass().onTermination().invoke(() -> running.set(false))
                .subscribe().with(x -> { }, failure -> LOG.warnf("decommission pass failed: %s", failure.getMessage())));
    }

    private Uni<Void> pass() {
        Instant now = kept.now();
        return each(Panache.withSession(() -> KeptRelease.<KeptRelease>find("status = ?1 and keepUntil <= ?2 order by keepUntil",
                        KeptRelease.Status.KEPT, now).page(0, BATCH).list()), KeptRelease.Status.KEPT, this::due)
                .flatMap(x -> each(Panache.withSession(() -> KeptRelease.<KeptRelease>find(
                        "status = ?1 and deadlineAt < ?2 order by deadlineAt", KeptRelease.Status.SENT, now).page(0, BATCH).list()),
                        KeptRelease.Status.SENT, this::unanswered))
                .invoke(relay::kick);
    }

    /** Each row in its own transaction, claimed first; a row another instance holds is left to it. */
    private Uni<Void> each(Uni<List<KeptRelease>> candidates, KeptRelease.Status status,
            Function<KeptRelease, Uni<Boolean>> work) {
        return candidates.flatMap(rows -> Multi.createFrom().iterable(rows.stream().map(r -> r.deploymentId).toList())
                .onItem().transformToUniAndConcatenate(id -> one(id, status, work))
                .collect().last().replaceWithVoid());
    }

    private Uni<Boolean> one(UUID id, KeptRelease.Status status, Function<KeptRelease, Uni<Boolean>> work) {
        return Panache.withTransaction(() -> claim(id, status)
                        .flatMap(row -> row == null ? Uni.createFrom().item(false) : work.apply(row)))
                .onFailure().recoverWithItem(failure -> {
                    LOG.warnf("kept release of deployment %s not handled this pass: %s", id, failure.getMessage());
                    return false;
                });
    }

    private static Uni<KeptRelease> claim(UUID id, KeptRelease.Status status) {
        return Panache.getSession().flatMap(session -> session.createNativeQuery("select * from kept_release "
                        + "where deployment_id = :id and status = :status for update skip locked", KeptRelease.class)
                .setParameter("id", id).setParameter("status", status.name()).getSingleResultOrNull());
    }

    // ---- a due row ----------------------------------------------------------------------------

    private Uni<Boolean> due(KeptRelease row) {
        return newer(row).flatMap(found -> {
            Optional<Newer> tookOver = found.stream().filter(n -> n.deployment().fencingToken != null).findFirst();
            if (tookOver.isPresent()) {
                return skip(row, tookOver.get());
            }
            if (!found.isEmpty()) {
                row.detail = "waiting: deployment " + found.get(0).deployment().id + " has not reached the lock yet";
                return Uni.createFrom().item(false);
            }
            return underLock(row);
        });
    }

    /**
     * Deployments of the project environment after the one that kept the release: those that took the
     * lock since (a higher fencing token), and those still on their way to it (not finished, no token).
     * Dry runs change nothing and never count.
     */
    private Uni<List<Newer>> newer(KeptRelease row) {
        return Deployment.<Deployment>find("project = ?1 and environment = ?2 and dryRun = false and id <> ?3 "
                        + "and (fencingToken > ?4 or (finishedAt is null and fencingToken is null)) order by createdAt",
                        row.project, row.environment, row.deploymentId, row.deploymentToken).list()
                .flatMap(found -> found.isEmpty() ? Uni.createFrom().item(List.<Newer>of())
                        : AuditEntry.<AuditEntry>find("deploymentId in ?1 and action = ?2",
                                found.stream().map(d -> d.id).toList(), "environment-rollback").list()
                                .map(rollbacks -> found.stream().map(d -> new Newer(d,
                                        rollbacks.stream().anyMatch(a -> a.deploymentId.equals(d.id)))).toList()));
    }

    private Uni<Boolean> skip(KeptRelease row, Newer newer) {
        Deployment d = newer.deployment();
        row.status = KeptRelease.Status.SKIPPED;
        row.finishedAt = kept.now();
        row.detail = (newer.rollback() ? "rollback " : "newer deployment ") + d.id + " (" + d.version + ") took the project "
                + "environment since (fencing token " + d.fencingToken + " > " + row.deploymentToken + "); its release went into "
                + row.slot;
        return AuditEntry.record(row.deploymentId, "runway", "decommission-skipped", row.slot + " not decommissioned: " + row.detail,
                null).replaceWith(true);
    }

    private Uni<Boolean> underLock(KeptRelease row) {
        Environment env = Environment.valueOf(row.environment);
        String holder = KeptReleases.holder(row);
        AtomicReference<Long> taken = new AtomicReference<>();
        return gates.tokenFloor(row.project, row.environment)
                .flatMap(floor -> lock.tryAcquire(row.project, env, holder, floor))
                .flatMap(token -> {
                    if (token.isEmpty()) {
                        row.detail = "waiting: the project environment's lock is held or a deployment is queued";
                        return Uni.createFrom().item(false);
                    }
                    taken.set(token.get());
                    row.fencingToken = token.get();
                    // Between the first look and the lock, a deployment may have come and gone.
                    return newer(row).flatMap(found -> {
                        Optional<Newer> tookOver = found.stream().filter(n -> n.deployment().fencingToken != null).findFirst();
                        if (tookOver.isPresent()) {
                            return skip(row, tookOver.get()).call(x -> kept.release(row));
                        }
                        return send(row);
                    });
                })
                // The transaction did not commit: the lock must not wait for its lease.
                .onFailure().call(() -> taken.get() == null ? Uni.createFrom().voidItem()
                        : lock.release(row.project, env, holder, taken.get()));
    }

    private Uni<Boolean> send(KeptRelease row) {
        List<String> components = kept.components(row).stream().map(KeptRelease.Component::component).toList();
        Command command = executor.decommission(kept.header(row), KeptReleases.STEP, row.fencingToken, row.slot, components);
        Instant now = kept.now();
        row.status = KeptRelease.Status.SENT;
        row.commandEventId = Envelopes.headerOf(command.record()).getEventId();
        row.sentAt = now;
        row.deadlineAt = now.plus(kept.replyTimeout());
        row.detail = "Decommission sent under fencing token " + row.fencingToken;
        return outbox.add(command.topic(), command.record())
                .flatMap(x -> AuditEntry.record(row.deploymentId, "runway", "decommission-sent", "Decommission " + row.slot + " ("
                        + KeptReleases.describe(kept.components(row)) + ") under fencing token " + row.fencingToken
                        + "; lock held as " + KeptReleases.holder(row), row.commandEventId))
                .replaceWith(true);
    }

    // ---- a sent row without a reply ------------------------------------------------------------

    private Uni<Boolean> unanswered(KeptRelease row) {
        Duration waited = Duration.between(row.sentAt, kept.now());
        row.status = KeptRelease.Status.FAILED;
        row.finishedAt = kept.now();
        row.detail = "no reply from the executor within " + waited.toSeconds() + " s (runway.decommission.reply-timeout); "
                + row.slot + " may still run";
        return AuditEntry.record(row.deploymentId, "runway", "decommission-failed", row.slot + ": " + row.detail, null)
                .flatMap(x -> kept.release(row))
                .replaceWith(true);
    }
}
