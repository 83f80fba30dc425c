package dev.runway.orchestrator.outbox;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

import jakarta.enterprise.context.ApplicationScoped;

import org.apache.avro.specific.SpecificRecord;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.jboss.logging.Logger;

import dev.runway.events.Topics;
import dev.runway.messaging.KeyedPublisher;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.scheduler.Scheduled;
import io.quarkus.vertx.core.runtime.context.VertxContextSafetyToggle;
import io.smallrye.common.vertx.VertxContext;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.vertx.core.Vertx;

/**
 * Publishes committed outbox rows in id order and marks them once the broker acknowledged them.
 * A batch is handed to the producer in id order without waiting for each ack (the producer keeps
 * that order per partition, and a deployment's records share its key, hence its partition), then
 * marked in one statement: many project environments' sagas run at once, and one round trip to the
 * broker and one transaction per record would make the relay their common bottleneck. Only the
 * rows up to the first failed one are marked, so a failure re-publishes from there, in order.
 * At-least-once: a crash between the ack and the mark publishes rows again with the same event id,
 * which consumers deduplicate. Kicked after each commit; polled as a fallback (and after a restart).
 * Safe with several orchestrator instances: each drain claims the deployments it publishes ({@link #CLAIM}).
 */
@ApplicationScoped
public class OutboxRelay {

    private static final Logger LOG = Logger.getLogger(OutboxRelay.class);
    private static final String SOURCE = "/runway/orchestrator";
    private static final int BATCH = 200;
    /**
     * The deployments with unpublished rows, oldest first, that this instance could claim: a transaction-scoped advisory
     * lock per deployment (key space {@code 0x52554E57}, "RUNW"), so with N orchestrators each deployment's rows are
     * published by one of them at a time, in id order, and a deployment another instance is publishing is skipped,
     * not waited for. The lock is taken in the outer query so it is only tried for the keys the inner one chose.
     */
    static final String CLAIM = "select message_key from (select message_key, min(id) as first_id from outbox"
            + " where published_at is null group by message_key order by first_id limit ?1) oldest"
            + " where pg_try_advisory_xact_lock(1381322327, hashtext(message_key))";
    /** Records handed to the producer before their acks; below the emitter's buffer (128 by default). */
    private static final int IN_FLIGHT = 64;

    private final Map<String, KeyedPublisher> publishers;
    private final Vertx vertx;
    private final AtomicBoolean running = new AtomicBoolean();
    private final AtomicBoolean again = new AtomicBoolean();

    public OutboxRelay(@Channel(Topics.DEPLOYMENTS) MutinyEmitter<SpecificRecord> lifecycle,
            @Channel(Topics.VALIDATION_REQUESTS) MutinyEmitter<SpecificRecord> validation,
            @Channel(Topics.EXECUTOR_COMMANDS) MutinyEmitter<SpecificRecord> executor,
            @Channel(Topics.HEALTH_COMMANDS) MutinyEmitter<SpecificRecord> health, Vertx vertx) {
        this.publishers = Map.of(Topics.DEPLOYMENTS, new KeyedPublisher(lifecycle, SOURCE),
                Topics.VALIDATION_REQUESTS, new KeyedPublisher(validation, SOURCE),
                Topics.EXECUTOR_COMMANDS, new KeyedPublisher(executor, SOURCE),
                Topics.HEALTH_COMMANDS, new KeyedPublisher(health, SOURCE));
        this.vertx = vertx;
    }

    /** Asks for a drain soon; never blocks the caller. */
    public void kick() {
        if (running.compareAndSet(false, true)) {
            // A fresh duplicated context: never the caller's, whose Hibernate session may be in use or closing.
            var context = VertxContext.createNewDuplicatedContext(vertx.getOrCreateContext());
            VertxContextSafetyToggle.setContextSafe(context, true);
            context.runOnContext(ignored -> drainLoop().subscribe().with(done -> { }, failure -> { }));
        } else {
            again.set(true);
        }
    }

    @Scheduled(every = "${runway.outbox.every:1s}", delayed = "5s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void poll() {
        kick();
    }

    private Uni<Void> drainLoop() {
        again.set(false);
        return drainOnce().onItemOrFailure().transformToUni((count, failure) -> {
            if (failure != null) {
                LOG.warnf("outbox relay: %s (will retry)", failure.getMessage());
            }
            if (failure == null && (count == BATCH || again.get())) {
                return drainLoop();
            }
            running.set(false);
            // A kick that raced with the end of this loop must not be lost.
            if (again.getAndSet(false) && running.compareAndSet(false, true)) {
                return drainLoop();
            }
            return Uni.createFrom().voidItem();
        });
    }

    private Uni<Integer> drainOnce() {
        // One transaction: the deployments' advisory locks are held from the claim until the rows are marked.
        return Panache.withTransaction(() -> Panache.getSession()
                .flatMap(session -> session.createNativeQuery(CLAIM, String.class).setParameter(1, BATCH).getResultList())
                // A second statement, so its snapshot is taken after the locks: rows another instance published and
                // marked before it let go of a deployment are seen as published, not sent again.
                .flatMap(keys -> keys.isEmpty() ? Uni.createFrom().item(List.<OutboxMessage>of())
                        : OutboxMessage.<OutboxMessage>find("publishedAt is null and messageKey in ?1 order by id", keys).list())
                .flatMap(rows -> rows.isEmpty() ? Uni.createFrom().item(0)
                        // Subscribed (so sent) in id order, at most IN_FLIGHT at a time; acknowledged in any order.
                        : Multi.createFrom().iterable(rows).onItem().transformToUni(this::publish).merge(IN_FLIGHT)
                                .collect().asMap(Sent::id, Sent::failure)
                                .flatMap(sent -> markAcknowledged(rows, sent))));
    }

    private record Sent(long id, Optional<Throwable> failure) {
    }

    /** Marks the rows before the first failed one; then fails with that failure, so the loop retries from there. */
    private Uni<Integer> markAcknowledged(List<OutboxMessage> rows, Map<Long, Optional<Throwable>> sent) {
        List<Long> done = new ArrayList<>();
        Throwable failure = null;
        for (OutboxMessage row : rows) {
            Optional<Throwable> f = sent.get(row.id);
            if (f.isPresent()) {
                failure = f.get();
                break;
            }
            done.add(row.id);
        }
        Throwable failed = failure;
        Uni<Integer> marked = done.isEmpty() ? Uni.createFrom().item(0)
                : Panache.withTransaction(() -> OutboxMessage.update("publishedAt = ?1 where id in ?2", Instant.now(), done));
        return marked.flatMap(n -> failed == null ? Uni.createFrom().item(rows.size()) : Uni.createFrom().failure(failed));
    }

    private Uni<Sent> publish(OutboxMessage row) {
        KeyedPublisher publisher = publishers.get(row.topic);
        Uni<Void> sent = publisher == null
                ? Uni.createFrom().failure(new IllegalStateException("no channel for topic " + row.topic))
                : Uni.createFrom().deferred(() -> publisher.publish(AvroCodec.decode(row.recordType, row.payload)));
        return sent.map(x -> new Sent(row.id, Optional.<Throwable>empty()))
                .onFailure().recoverWithItem(f -> new Sent(row.id, Optional.of(f)));
    }
}
