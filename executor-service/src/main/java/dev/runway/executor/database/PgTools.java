package dev.runway.executor.database;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import jakarta.enterprise.context.ApplicationScoped;

import dev.runway.events.Environment;
import dev.runway.executor.commands.StepFailure;
import dev.runway.executor.config.ExecutorConfig;
import dev.runway.executor.os.Exec;

/**
 * pg_dump, pg_restore and the SQL around them against a client database: the I/O of backups and
 * backup restores ({@link DatabaseBackup}, {@link DatabaseRestore} plan them), and where backups live.
 */
@ApplicationScoped
public class PgTools {

    private static final Duration DUMP_TIMEOUT = Duration.ofMinutes(30);
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd_HHmmss").withZone(ZoneOffset.UTC);
    private static final Pattern MAJOR = Pattern.compile("(\\d+)(\\.\\d+)?");

    private final ExecutorConfig config;

    public PgTools(ExecutorConfig config) {
        this.config = config;
    }

    /** {@code 20260115_143022}: backup ids and scratch database names carry the command's time. */
    static String stamp(Instant at) {
        return STAMP.format(at);
    }

    /** Per environment; file names carry the project's database name. */
    Path backupDir(Environment environment) {
        return Path.of(config.database().backupDir()).toAbsolutePath().normalize().resolve(environment.name().toLowerCase(Locale.ROOT));
    }

    String pgDump() {
        return Path.of(config.database().binDir(), "pg_dump").toString();
    }

    String pgRestore() {
        return Path.of(config.database().binDir(), "pg_restore").toString();
    }

    /** pg_dump must be at least the server's major version, or it refuses (or worse, dumps partially). */
    void checkVersion(ClientDatabase db) throws SQLException {
        String out = Exec.run("BACKUP_FAILED", List.of(pgDump(), "--version"), db.pgEnv(), Duration.ofSeconds(30));
        Matcher m = MAJOR.matcher(out.replaceAll("^[^0-9]*", ""));
        int client = m.find() ? Integer.parseInt(m.group(1)) : 0;
        int server;
        try (Connection c = db.connect(db.database()); Statement s = c.createStatement();
                ResultSet r = s.executeQuery("SHOW server_version_num")) {
            r.next();
            server = Integer.parseInt(r.getString(1)) / 10000;
        }
        if (client < server) {
            throw new StepFailure("PG_DUMP_TOO_OLD", pgDump() + " is version " + client + " but the server is " + server
                    + ": install postgresql-client-" + server + " and point runway.executor.database.bin-dir at it", false);
        }
    }

    /** A custom-format, compressed dump of the database; returns its size. */
    long dump(ClientDatabase db, Path file) throws IOException {
        Files.createDirectories(file.getParent());
        List<String> cmd = new ArrayList<>(List.of(pgDump(), "--format=custom", "--compress=9", "--file=" + file));
        cmd.addAll(db.pgArgs(db.database()));
        Exec.run("BACKUP_FAILED", cmd, db.pgEnv(), DUMP_TIMEOUT);
        return Files.size(file);
    }

    /** sop.md 000-8.3: a backup counts once pg_restore can read its table of contents. */
    void verify(ClientDatabase db, Path file) {
        String toc = Exec.run("BACKUP_UNVERIFIED", List.of(pgRestore(), "--list", file.toString()), db.pgEnv(), Duration.ofMinutes(5));
        if (!toc.contains("Archive created at")) {
            throw new StepFailure("BACKUP_UNVERIFIED", "pg_restore --list did not read " + file, true);
        }
    }

    /** Deletes {@code backup_*.dump} in {@code dir} older than the retention. */
    static void prune(Path dir, int retentionDays) throws IOException {
        FileTime cutoff = FileTime.from(Instant.now().minus(Duration.ofDays(retentionDays)));
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.filter(f -> f.getFileName().toString().matches("backup_.*\\.dump")).toList()) {
                if (Files.getLastModifiedTime(f).compareTo(cutoff) < 0) {
                    Files.deleteIfExists(f);
                }
            }
        }
    }

    /** (Re)creates {@code scratch} and restores {@code file} into it in one transaction. */
    void restoreInto(ClientDatabase db, String scratch, Path file) throws SQLException {
        if (!Files.exists(file)) {
            throw new StepFailure("NO_BACKUP", "backup file " + file + " is missing", false);
        }
        try (Connection c = db.connect("postgres"); Statement s = c.createStatement()) {
            s.execute("DROP DATABASE IF EXISTS " + quote(scratch));
            s.execute("CREATE DATABASE " + quote(scratch));
        }
        List<String> cmd = new ArrayList<>(List.of(pgRestore(), "--single-transaction", "--no-owner", "--exit-on-error"));
        cmd.addAll(db.pgArgs(scratch));
        cmd.add(file.toString());
        Exec.run("RESTORE_FAILED", cmd, db.pgEnv(), DUMP_TIMEOUT);
    }

    /** Disconnects clients, keeps the current database as {@code before} and renames {@code scratch} into its place. */
    void swap(ClientDatabase db, String scratch, String before) throws SQLException {
        try (Connection c = db.connect("postgres"); Statement s = c.createStatement()) {
            s.execute("ALTER DATABASE " + quote(db.database()) + " ALLOW_CONNECTIONS false");
            try (PreparedStatement t = c.prepareStatement(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = ? AND pid <> pg_backend_pid()")) {
                t.setString(1, db.database());
                t.execute();
            }
            s.execute("ALTER DATABASE " + quote(db.database()) + " RENAME TO " + quote(before));
            s.execute("ALTER DATABASE " + quote(scratch) + " RENAME TO " + quote(db.database()));
            s.execute("ALTER DATABASE " + quote(before) + " ALLOW_CONNECTIONS true");
        }
    }

    /** A database name Postgres accepts (at most 63 bytes): the end, which carries the time, is kept. */
    static String truncate(String name) {
        return name.length() <= 63 ? name : name.substring(name.length() - 63);
    }

    private static String quote(String identifier) {
        return '"' + identifier.replace("\"", "\"\"") + '"';
    }
}
