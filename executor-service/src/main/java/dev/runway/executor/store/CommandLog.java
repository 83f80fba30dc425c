package dev.runway.executor.store;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;

import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;

import dev.runway.executor.commands.CommandContext;

/**
 * The executor's durable memory of commands (table executor_command) and of the newest fencing
 * token per project environment (executor_fencing), in its own Postgres database.
 */
@ApplicationScoped
public class CommandLog {

    public enum Status { STARTED, FINISHED }

    public enum Claim { STARTED, STALE, ALREADY_SEEN }

    public record Entry(String commandId, String deploymentId, String environment, String type, String step,
            Status status, String plan, SpecificRecord command, SpecificRecord reply, Instant startedAt) {
    }

    private final DataSource dataSource;

    public CommandLog(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    public Optional<Entry> find(String commandId) {
        return query("SELECT * FROM executor_command WHERE command_id = ?", commandId).stream().findFirst();
    }

    /** Commands a previous run of the executor started and never finished. */
    public List<Entry> inFlight() {
        return query("SELECT * FROM executor_command WHERE status = 'STARTED' ORDER BY started_at");
    }

    /**
     * In one transaction: compare-and-set the project environment's newest fencing token, then record
     * the command as STARTED. Nothing is recorded for a stale token. A dry run is never compared with
     * (nor raises) the real tokens: it changes nothing, so it cannot act for a lock it does not hold,
     * and a plan asked for after a real deployment must not be refused as stale.
     */
    public Claim start(CommandContext ctx) {
        String environment = ctx.environment().name();
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                if (!ctx.dryRun()) {
                    boolean fresh;
                    try (PreparedStatement s = c.prepareStatement("""
                            INSERT INTO executor_fencing (project, environment, newest_token) VALUES (?, ?, ?)
                            ON CONFLICT (project, environment) DO UPDATE SET newest_token = EXCLUDED.newest_token, updated_at = now()
                            WHERE executor_fencing.newest_token <= EXCLUDED.newest_token
                            RETURNING newest_token""")) {
                        s.setString(1, ctx.project());
                        s.setString(2, environment);
                        s.setLong(3, ctx.fencingToken());
                        try (ResultSet r = s.executeQuery()) {
                            fresh = r.next();
                        }
                    }
                    if (!fresh) {
                        c.rollback();
                        return Claim.STALE;
                    }
                }
                int inserted = insert(c, ctx, Status.STARTED, "", null);
                c.commit();
                return inserted == 1 ? Claim.STARTED : Claim.ALREADY_SEEN;
            } catch (SQLException e) {
                c.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw new IllegalStateException("command log unavailable", e);
        }
    }

    public long newestToken(String project, String environment) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement s = c.prepareStatement("SELECT newest_token FROM executor_fencing WHERE project = ? AND environment = ?")) {
            s.setString(1, project);
            s.setString(2, environment);
            try (ResultSet r = s.executeQuery()) {
                return r.next() ? r.getLong(1) : Long.MIN_VALUE;
            }
        } catch (SQLException e) {
            throw new IllegalStateException("command log unavailable", e);
        }
    }

    /** Records a command that was answered without any side effect (stale token). */
    public void recordAnswered(CommandContext ctx, String plan, SpecificRecord reply) {
        try (Connection c = dataSource.getConnection()) {
            insert(c, ctx, Status.FINISHED, plan, reply);
        } catch (SQLException e) {
            throw new IllegalStateException("command log unavailable", e);
        }
    }

    public void describe(String commandId, String plan) {
        update("UPDATE executor_command SET plan = ? WHERE command_id = ?", plan, commandId);
    }

    public void finish(String commandId, SpecificRecord reply) {
        updateReply("UPDATE executor_command SET status = 'FINISHED', reply_type = ?, reply = ?, finished_at = now() WHERE command_id = ?",
                commandId, reply);
    }

    /** Closes a STARTED command with {@code reply}; false when someone else already closed it. */
    public boolean finishIfStarted(String commandId, SpecificRecord reply) {
        return updateReply("UPDATE executor_command SET status = 'FINISHED', reply_type = ?, reply = ?, finished_at = now() "
                + "WHERE command_id = ? AND status = 'STARTED'", commandId, reply) == 1;
    }

    private int insert(Connection c, CommandContext ctx, Status status, String plan, SpecificRecord reply) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("""
                INSERT INTO executor_command (command_id, deployment_id, environment, command_type, step, fencing_token,
                    dry_run, status, plan, reply_type, reply, finished_at, command_class, command, project)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, CASE WHEN ? THEN now() END, ?, ?, ?)
                ON CONFLICT (command_id) DO NOTHING""")) {
            s.setString(1, ctx.commandId());
            s.setString(2, ctx.deploymentId());
            s.setString(3, ctx.environment().name());
            s.setString(4, ctx.type());
            s.setString(5, ctx.step());
            s.setLong(6, ctx.fencingToken());
            s.setBoolean(7, ctx.dryRun());
            s.setString(8, status.name());
            s.setString(9, plan);
            s.setString(10, reply == null ? null : reply.getClass().getName());
            s.setBytes(11, reply == null ? null : encode(reply));
            s.setBoolean(12, status == Status.FINISHED);
            s.setString(13, ctx.command().getClass().getName());
            s.setBytes(14, encode(ctx.command()));
            s.setString(15, ctx.project());
            return s.executeUpdate();
        }
    }

    private int updateReply(String sql, String commandId, SpecificRecord reply) {
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(sql)) {
            s.setString(1, reply.getClass().getName());
            s.setBytes(2, encode(reply));
            s.setString(3, commandId);
            return s.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("command log unavailable", e);
        }
    }

    private void update(String sql, String... args) {
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                s.setString(i + 1, args[i]);
            }
            s.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("command log unavailable", e);
        }
    }

    private List<Entry> query(String sql, String... args) {
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                s.setString(i + 1, args[i]);
            }
            List<Entry> entries = new ArrayList<>();
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    String replyType = r.getString("reply_type");
                    entries.add(new Entry(r.getString("command_id"), r.getString("deployment_id"), r.getString("environment"),
                            r.getString("command_type"), r.getString("step"), Status.valueOf(r.getString("status")),
                            r.getString("plan"), decode(r.getString("command_class"), r.getBytes("command")), replyType == null ? null : decode(replyType, r.getBytes("reply")),
                            r.getTimestamp("started_at").toInstant()));
                }
            }
            return entries;
        } catch (SQLException e) {
            throw new IllegalStateException("command log unavailable", e);
        }
    }

    static byte[] encode(SpecificRecord record) {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(bytes, null);
            new SpecificDatumWriter<SpecificRecord>(record.getSchema()).write(record, encoder);
            encoder.flush();
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @SuppressWarnings("unchecked")
    static SpecificRecord decode(String type, byte[] bytes) {
        try {
            Class<SpecificRecord> cls = (Class<SpecificRecord>) Class.forName(type, true, SpecificRecord.class.getClassLoader());
            return new SpecificDatumReader<>(cls).read(null, DecoderFactory.get().binaryDecoder(bytes, null));
        } catch (IOException | ClassNotFoundException e) {
            throw new IllegalStateException("recorded reply of type " + type + " cannot be read", e);
        }
    }
}
