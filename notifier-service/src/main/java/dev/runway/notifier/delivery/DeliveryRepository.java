package dev.runway.notifier.delivery;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import dev.runway.access.ProjectScope;
import dev.runway.notifier.access.CallerScope;
import dev.runway.notifier.render.Rendered;
import dev.runway.notifier.routing.Notice;
import dev.runway.notifier.routing.Secrets;
import dev.runway.notifier.routing.Target;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;

/** The delivery log and dead letters in Postgres (reactive client: SKIP LOCKED claims, ON CONFLICT dedup). */
@ApplicationScoped
public class DeliveryRepository {

    private final Pool pool;

    public DeliveryRepository(Pool pool) {
        this.pool = pool;
    }

    /** What an enqueue did. */
    public enum Enqueued {
        NEW, COLLAPSED, DUPLICATE
    }

    /**
     * Records one notification for one endpoint. A second record for the same (event, endpoint) is
     * ignored (redelivered Kafka record); an identical notification to the same endpoint within
     * {@code window} is stored as COLLAPSED and counted on the first.
     */
    public Uni<Enqueued> enqueue(SqlConnection conn, Notice notice, Target target, Rendered rendered, int maxAttempts,
            Optional<Duration> window) {
        String fingerprint = Secrets.sha256Hex(target.endpoint() + "|" + notice.dedupKey());
        Uni<Long> original = window.isEmpty() ? Uni.createFrom().nullItem()
                : conn.preparedQuery("""
                        SELECT id FROM deliveries
                        WHERE endpoint = $1 AND fingerprint = $2 AND event_id <> $3 AND status <> 'COLLAPSED'
                          AND created_at > now() - make_interval(secs => $4)
                        ORDER BY id LIMIT 1""")
                        .execute(Tuple.of(target.endpoint(), fingerprint, notice.eventId(), (double) window.get().toMillis() / 1000))
                        .map(rows -> rows.iterator().hasNext() ? rows.iterator().next().getLong("id") : null);
        return original.flatMap(originalId -> conn.preparedQuery("""
                INSERT INTO deliveries (event_id, event_type, deployment_id, environment, project, severity, channel,
                                        endpoint, subject, payload, fingerprint, status, max_attempts, collapsed_into, client)
                VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)
                ON CONFLICT (event_id, endpoint) DO NOTHING
                RETURNING id""")
                .execute(Tuple.from(Arrays.asList( notice.eventId(), notice.eventType(), notice.deploymentId(),
                        notice.environment().name(), notice.project(), notice.severity().name(),
                        target.channel().name(), target.endpoint(), rendered.subject(), rendered.body(), fingerprint,
                        originalId == null ? DeliveryStatus.PENDING.name() : DeliveryStatus.COLLAPSED.name(),
                        maxAttempts, originalId, notice.client())))
                .flatMap(rows -> {
                    if (!rows.iterator().hasNext()) {
                        return Uni.createFrom().item(Enqueued.DUPLICATE);
                    }
                    if (originalId == null) {
                        return Uni.createFrom().item(Enqueued.NEW);
                    }
                    return conn.preparedQuery("UPDATE deliveries SET repeats = repeats + 1, updated_at = now() WHERE id = $1")
                            .execute(Tuple.of(originalId)).replaceWith(Enqueued.COLLAPSED);
                }));
    }

    /** Claims due deliveries (and ones whose sender vanished past its lease); safe with several notifier instances. */
    public Uni<List<Delivery>> claimDue(int limit, Duration lease) {
        return pool.preparedQuery("""
                UPDATE deliveries SET status = 'SENDING', lease_until = now() + make_interval(secs => $2), updated_at = now()
                WHERE id IN (SELECT id FROM deliveries
                             WHERE (status = 'PENDING' AND next_attempt_at <= now())
                                OR (status = 'SENDING' AND lease_until < now())
                             ORDER BY next_attempt_at LIMIT $1 FOR UPDATE SKIP LOCKED)
                RETURNING *""")
                .execute(Tuple.of(limit, (double) lease.toMillis() / 1000))
                .map(DeliveryRepository::all);
    }

    public Uni<Void> markDelivered(long id) {
        return pool.preparedQuery("""
                UPDATE deliveries SET status = 'DELIVERED', attempts = attempts + 1, delivered_at = now(),
                                      lease_until = NULL, updated_at = now()
                WHERE id = $1 AND status = 'SENDING'""").execute(Tuple.of(id)).replaceWithVoid();
    }

    /** A failed attempt with attempts left: due again after {@code delay}. */
    public Uni<Void> markRetry(long id, Duration delay, String error) {
        return pool.preparedQuery("""
                UPDATE deliveries SET status = 'PENDING', attempts = attempts + 1, last_error = $2,
                                      next_attempt_at = now() + make_interval(secs => $3), lease_until = NULL, updated_at = now()
                WHERE id = $1 AND status = 'SENDING'""")
                .execute(Tuple.of(id, error, (double) delay.toMillis() / 1000)).replaceWithVoid();
    }

    /** Not attempted (circuit open): due again after {@code delay}, no attempt spent; a real error already recorded stays. */
    public Uni<Void> defer(long id, Duration delay, String reason) {
        return pool.preparedQuery("""
                UPDATE deliveries SET status = 'PENDING', last_error = COALESCE(last_error, $2),
                                      next_attempt_at = now() + make_interval(secs => $3), lease_until = NULL, updated_at = now()
                WHERE id = $1 AND status = 'SENDING'""")
                .execute(Tuple.of(id, reason, (double) delay.toMillis() / 1000)).replaceWithVoid();
    }

    /** The last attempt failed (or retrying cannot help): the delivery becomes a dead letter. */
    public Uni<Void> markDead(long id, boolean attempted, String error) {
        return pool.withTransaction(conn -> conn.preparedQuery("""
                UPDATE deliveries SET status = 'DEAD', attempts = attempts + $2, last_error = $3, lease_until = NULL,
                                      updated_at = now()
                WHERE id = $1 AND status = 'SENDING'
                RETURNING *""").execute(Tuple.of(id, attempted ? 1 : 0, error))
                .flatMap(rows -> {
                    if (!rows.iterator().hasNext()) {
                        return Uni.createFrom().voidItem();
                    }
                    Delivery d = Delivery.from(rows.iterator().next());
                    return conn.preparedQuery("""
                            INSERT INTO dead_letters (delivery_id, event_id, deployment_id, channel, endpoint, attempts, reason, payload,
                                                      project, client)
                            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) ON CONFLICT (delivery_id) DO NOTHING""")
                            .execute(Tuple.from(Arrays.asList( d.id(), d.eventId(), d.deploymentId(), d.channel(),
                                    d.endpoint(), d.attempts(), error, d.payload(), d.project(), d.client())))
                            .replaceWithVoid();
                }));
    }

    /** Filters for {@code GET /deliveries}; null = any. The reader's scope always applies. */
    public record Filter(String deploymentId, String eventId, String eventType, DeliveryStatus status, String channel,
            String environment, String project, String client, ProjectScope scope) {
    }

    public record Page<T>(List<T> items, int page, int size, long total) {
    }

    public Uni<Page<Delivery>> search(Filter f, int page, int size) {
        List<String> where = new ArrayList<>();
        Tuple params = Tuple.tuple();
        add(where, params, "deployment_id", f.deploymentId());
        add(where, params, "event_id", f.eventId());
        add(where, params, "event_type", f.eventType());
        add(where, params, "status", f.status() == null ? null : f.status().name());
        add(where, params, "channel", f.channel());
        add(where, params, "environment", f.environment());
        addIgnoringCase(where, params, "project", f.project());
        addIgnoringCase(where, params, "client", f.client());
        inScope(where, params, "deliveries", f.scope());
        String clause = where.isEmpty() ? "" : " WHERE " + String.join(" AND ", where);
        Uni<Long> total = pool.preparedQuery("SELECT count(*) AS n FROM deliveries" + clause).execute(params)
                .map(rows -> rows.iterator().next().getLong("n"));
        Tuple pageParams = Tuple.from(listOf(params)).addInteger(size).addLong((long) page * size);
        int n = params.size();
        Uni<List<Delivery>> items = pool.preparedQuery("SELECT * FROM deliveries" + clause + " ORDER BY id DESC LIMIT $"
                + (n + 1) + " OFFSET $" + (n + 2)).execute(pageParams).map(DeliveryRepository::all);
        return Uni.combine().all().unis(total, items).asTuple()
                .map(t -> new Page<>(t.getItem2(), page, size, t.getItem1()));
    }

    /** Dead letters of the projects {@code scope} allows, newest first. */
    public Uni<List<DeadLetter>> deadLetters(String deploymentId, ProjectScope scope, int limit) {
        List<String> where = new ArrayList<>();
        Tuple params = Tuple.tuple();
        add(where, params, "deployment_id", deploymentId);
        inScope(where, params, "dead_letters", scope);
        params.addInteger(limit);
        String sql = "SELECT * FROM dead_letters" + (where.isEmpty() ? "" : " WHERE " + String.join(" AND ", where))
                + " ORDER BY id DESC LIMIT $" + params.size();
        return pool.preparedQuery(sql).execute(params).map(rows -> {
            List<DeadLetter> out = new ArrayList<>();
            rows.forEach(r -> out.add(new DeadLetter(r.getLong("id"), r.getLong("delivery_id"), r.getString("event_id"),
                    r.getString("deployment_id"), r.getString("project"), r.getString("client"), r.getString("channel"),
                    r.getString("endpoint"), r.getInteger("attempts"), r.getString("reason"), r.getOffsetDateTime("created_at"))));
            return out;
        });
    }

    public record DeadLetter(long id, long deliveryId, String eventId, String deploymentId, String project, String client,
            String channel, String endpoint, int attempts, String reason, OffsetDateTime createdAt) {
    }

    /**
     * Only rows of the projects the scope allows, matched on the stored client and project; a row without a
     * client (stored before tenancy) matches agency-wide scopes only.
     */
    private static void inScope(List<String> where, Tuple params, String table, ProjectScope scope) {
        if (scope.isAgencyWide()) {
            return;
        }
        String[][] pairs = CallerScope.pairs(scope);
        params.addArrayOfString(pairs[0]);
        int clients = params.size();
        params.addArrayOfString(pairs[1]);
        int projects = params.size();
        where.add("EXISTS (SELECT 1 FROM unnest($" + clients + "::text[], $" + projects + "::text[]) AS s(c, p) WHERE lower("
                + table + ".client) = s.c AND (s.p = '*' OR lower(" + table + ".project) = s.p))");
    }

    private static void addIgnoringCase(List<String> where, Tuple params, String column, String value) {
        if (value != null && !value.isBlank()) {
            params.addValue(value.trim());
            where.add("lower(" + column + ") = lower($" + params.size() + ")");
        }
    }

    private static void add(List<String> where, Tuple params, String column, String value) {
        if (value != null && !value.isBlank()) {
            params.addValue(value);
            where.add(column + " = $" + params.size());
        }
    }

    private static List<Object> listOf(Tuple t) {
        List<Object> out = new ArrayList<>();
        for (int i = 0; i < t.size(); i++) {
            out.add(t.getValue(i));
        }
        return out;
    }

    private static List<Delivery> all(RowSet<Row> rows) {
        List<Delivery> out = new ArrayList<>();
        rows.forEach(r -> out.add(Delivery.from(r)));
        return out;
    }
}
