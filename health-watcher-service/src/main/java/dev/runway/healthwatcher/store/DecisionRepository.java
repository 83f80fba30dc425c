package dev.runway.healthwatcher.store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.runway.access.ProjectScope;
import dev.runway.events.StartWatch;
import dev.runway.healthwatcher.decision.DecisionView;
import io.smallrye.mutiny.Uni;
import io.vertx.core.buffer.Buffer;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;

/** Watches and decisions in this service's own database (runway_health). */
@ApplicationScoped
public class DecisionRepository {

    public static final String WATCHING = "WATCHING";

    /** A watch as stored, enough to resume it. */
    public record StoredWatch(StartWatch command, String status, Instant startedAt, Instant endsAt, int insufficientWindows) {
    }

    /** A decision row to insert: view for people, record for the broker. */
    public record NewDecision(String eventId, String kind, String deploymentId, String environment, String project,
            String client, Instant decidedAt, DecisionView view, byte[] record) {
    }

    /** Filters of the history (null = any) and the reader's scope, which always applies. */
    public record Filter(String environment, String project, String client, String deploymentId, ProjectScope scope) {
    }

    /** A decision stored but not yet acknowledged by the broker. */
    public record Unpublished(String eventId, String kind, byte[] record) {
    }

    public record Page(List<DecisionView> items, long total) {
    }

    private final Pool pool;
    private final ObjectMapper json;

    public DecisionRepository(Pool pool, ObjectMapper json) {
        this.pool = pool;
        this.json = json;
    }

    /** Stores a new watch; false when this watch id is already known (a redelivered StartWatch). */
    public Uni<Boolean> insertWatch(StartWatch command, Instant startedAt, Instant endsAt) {
        var h = command.getHeader();
        return pool.preparedQuery("""
                insert into watch (watch_id, deployment_id, environment, project, client, step, start_event_id, start_command,
                                   status, started_at, ends_at)
                values ($1, $2, $3, $4, $5, $6, $7, $8, 'WATCHING', $9, $10)
                on conflict (watch_id) do nothing""")
                .execute(Tuple.from(Arrays.asList(command.getWatchId(), h.getDeploymentId(), h.getEnvironment().name(),
                        h.getProject(), h.getClient(), command.getStep(), h.getEventId(), bytes(command), utc(startedAt), utc(endsAt))))
                .map(rows -> rows.rowCount() == 1);
    }

    /** Ends a watch without a decision; false when it was not watching. */
    public Uni<Boolean> stop(String watchId, String reason, Instant at) {
        return pool.preparedQuery("update watch set status = 'STOPPED', ended_at = $2, end_reason = $3 where watch_id = $1 and status = 'WATCHING'")
                .execute(Tuple.of(watchId, utc(at), reason)).map(rows -> rows.rowCount() == 1);
    }

    public Uni<Void> extend(String watchId, Instant endsAt, int insufficientWindows) {
        return pool.preparedQuery("update watch set ends_at = $2, insufficient_windows = $3 where watch_id = $1 and status = 'WATCHING'")
                .execute(Tuple.of(watchId, utc(endsAt), insufficientWindows)).replaceWithVoid();
    }

    /**
     * Moves the watch from WATCHING to {@code status} and stores its decisions, in one transaction.
     * False (and nothing stored) when the watch had already ended: that is the idempotency gate.
     */
    public Uni<Boolean> conclude(String watchId, String status, String reason, Instant at, List<NewDecision> decisions) {
        return pool.withTransaction(conn -> conn
                .preparedQuery("update watch set status = $2, ended_at = $3, end_reason = $4 where watch_id = $1 and status = 'WATCHING'")
                .execute(Tuple.of(watchId, status, utc(at), reason))
                .flatMap(rows -> rows.rowCount() == 0 ? Uni.createFrom().item(false) : insertAll(conn, watchId, decisions)));
    }

    private Uni<Boolean> insertAll(SqlConnection conn, String watchId, List<NewDecision> decisions) {
        List<Tuple> batch = new ArrayList<>();
        for (NewDecision d : decisions) {
            batch.add(Tuple.from(Arrays.asList(d.eventId(), watchId, d.kind(), d.deploymentId(), d.environment(),
                    d.project(), d.client(), utc(d.decidedAt()), write(d.view()), Buffer.buffer(d.record()))));
        }
        return conn.preparedQuery("""
                insert into decision (event_id, watch_id, kind, deployment_id, environment, project, client, decided_at, view, record)
                values ($1, $2, $3, $4, $5, $6, $7, $8, $9::jsonb, $10)""")
                .executeBatch(batch).map(rows -> true);
    }

    public Uni<Void> markPublished(String eventId, Instant at) {
        return pool.preparedQuery("update decision set published_at = $2 where event_id = $1")
                .execute(Tuple.of(eventId, utc(at))).replaceWithVoid();
    }

    public Uni<List<Unpublished>> unpublished() {
        return pool.query("select event_id, kind, record from decision where published_at is null order by decided_at, kind desc")
                .execute().map(rows -> {
                    List<Unpublished> out = new ArrayList<>();
                    for (Row r : rows) {
                        out.add(new Unpublished(r.getString("event_id"), r.getString("kind"), r.getBuffer("record").getBytes()));
                    }
                    return out;
                });
    }

    public Uni<List<StoredWatch>> active() {
        return pool.query("select start_command, status, started_at, ends_at, insufficient_windows from watch where status = 'WATCHING'")
                .execute().map(rows -> {
                    List<StoredWatch> out = new ArrayList<>();
                    for (Row r : rows) {
                        out.add(new StoredWatch(startWatch(r.getBuffer("start_command").getBytes()), r.getString("status"),
                                r.getOffsetDateTime("started_at").toInstant(), r.getOffsetDateTime("ends_at").toInstant(),
                                r.getInteger("insufficient_windows")));
                    }
                    return out;
                });
    }

    /**
     * Newest first; every filter optional except the scope: a reader sees only decisions of the projects its
     * token allows, matched on the stored client and project (a decision without a client: agency-wide only).
     */
    public Uni<Page> page(Filter f, int offset, int limit) {
        String[][] pairs = f.scope().clientProjectPairs();
        String where = """
                 where ($1::text is null or environment = $1) and ($2::text is null or deployment_id = $2)
                   and ($3::text is null or lower(project) = lower($3)) and ($4::text is null or lower(client) = lower($4))
                   and ($5 or exists (select 1 from unnest($6::text[], $7::text[]) as s(c, p)
                                      where lower(decision.client) = s.c and (s.p = '*' or lower(decision.project) = s.p)))
                """;
        Tuple params = Tuple.tuple().addString(f.environment()).addString(f.deploymentId()).addString(f.project())
                .addString(f.client()).addBoolean(f.scope().isAgencyWide()).addArrayOfString(pairs[0]).addArrayOfString(pairs[1]);
        Uni<List<DecisionView>> items = pool.preparedQuery("select view, project, client from decision" + where
                + " order by decided_at desc, event_id limit $8 offset $9")
                .execute(Tuple.from(listOf(params)).addInteger(limit).addInteger(offset)).map(rows -> {
                    List<DecisionView> out = new ArrayList<>();
                    for (Row r : rows) {
                        // The columns are the truth for project and client (views stored before tenancy have no client).
                        out.add(read(String.valueOf(r.getValue("view"))).ofTenant(r.getString("project"), r.getString("client")));
                    }
                    return out;
                });
        Uni<Long> total = pool.preparedQuery("select count(*) from decision" + where)
                .execute(params).map(rows -> rows.iterator().next().getLong(0));
        return Uni.combine().all().unis(items, total).with(Page::new);
    }

    private static List<Object> listOf(Tuple t) {
        List<Object> out = new ArrayList<>();
        for (int i = 0; i < t.size(); i++) {
            out.add(t.getValue(i));
        }
        return out;
    }

    private static Buffer bytes(StartWatch command) {
        try {
            ByteBuffer buffer = command.toByteBuffer();
            byte[] out = new byte[buffer.remaining()];
            buffer.get(out);
            return Buffer.buffer(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static StartWatch startWatch(byte[] bytes) {
        try {
            return StartWatch.fromByteBuffer(ByteBuffer.wrap(bytes));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private String write(DecisionView view) {
        try {
            return json.writeValueAsString(view);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private DecisionView read(String text) {
        try {
            return json.readValue(text, DecisionView.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static OffsetDateTime utc(Instant t) {
        return t.atOffset(ZoneOffset.UTC);
    }
}
