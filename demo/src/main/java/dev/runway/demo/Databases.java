package dev.runway.demo;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The demo's PostgreSQL work, over JDBC as Runway's own role (the owner of every database it resets, with CREATEDB):
 * empty databases, and a table's columns for the report.
 */
final class Databases {

    /** Names go into DDL, which takes no bind parameters: only plain lower-case names are accepted. */
    static final Pattern NAME = Pattern.compile("[a-z][a-z0-9_]{0,62}");

    private final Settings settings;

    Databases(Settings settings) {
        this.settings = settings;
    }

    /** Each database dropped (its connections ended) and created again, empty. */
    void recreate(List<String> names) throws SQLException {
        try (Connection admin = connect("postgres"); Statement ddl = admin.createStatement()) {
            for (String name : names) {
                if (!NAME.matcher(name).matches()) {
                    throw new IllegalArgumentException("not a database name: " + name);
                }
                ddl.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
                ddl.execute("CREATE DATABASE " + name);
            }
        }
    }

    /** The columns of a table, in their order. */
    List<String> columns(String database, String table) throws SQLException {
        try (Connection db = connect(database); PreparedStatement q = db.prepareStatement(
                "select column_name from information_schema.columns where table_name = ? order by ordinal_position")) {
            q.setString(1, table);
            List<String> names = new ArrayList<>();
            try (ResultSet rows = q.executeQuery()) {
                while (rows.next()) {
                    names.add(rows.getString(1));
                }
            }
            return names;
        }
    }

    /** One row of Prisma's {@code _prisma_migrations}: what {@code prisma migrate status} reads. */
    record PrismaMigration(String name, String checksum, boolean finished, int appliedSteps) {
    }

    /** The rows of {@code _prisma_migrations} by name; none when the table does not exist. */
    List<PrismaMigration> prismaMigrations(String database) throws SQLException {
        try (Connection db = connect(database); Statement q = db.createStatement()) {
            try (ResultSet exists = q.executeQuery("select to_regclass('public._prisma_migrations') is not null")) {
                if (!exists.next() || !exists.getBoolean(1)) {
                    return List.of();
                }
            }
            List<PrismaMigration> rows = new ArrayList<>();
            try (ResultSet r = q.executeQuery("select migration_name, checksum, finished_at is not null, applied_steps_count"
                    + " from _prisma_migrations order by migration_name")) {
                while (r.next()) {
                    rows.add(new PrismaMigration(r.getString(1), r.getString(2), r.getBoolean(3), r.getInt(4)));
                }
            }
            return rows;
        }
    }

    private Connection connect(String database) throws SQLException {
        return DriverManager.getConnection(settings.jdbcUrl(database), settings.pgUser(), settings.pgPassword());
    }
}
