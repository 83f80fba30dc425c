package dev.runway.executor.database;

import java.net.URI;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One project environment's client database, as its credential reference resolved it
 * ({@link DatabaseCredentials}). The password only ever travels in PGPASSWORD / JDBC properties.
 */
public record ClientDatabase(String host, int port, String database, String username, String password) {

    /** {@code jdbc:postgresql://host[:port]/db}; null when {@code url} is not of that form. */
    static ClientDatabase parse(String url, String username, String password) {
        if (url == null || !url.startsWith("jdbc:postgresql://")) {
            return null;
        }
        URI uri = URI.create(url.substring("jdbc:".length()));
        String db = uri.getPath() == null ? "" : uri.getPath().replaceFirst("^/", "");
        if (uri.getHost() == null || db.isBlank()) {
            return null;
        }
        return new ClientDatabase(uri.getHost(), uri.getPort() < 0 ? 5432 : uri.getPort(), db, username, password);
    }

    public String jdbcUrl() {
        return jdbcUrl(database);
    }

    public String jdbcUrl(String db) {
        return "jdbc:postgresql://" + host + ":" + port + "/" + db;
    }

    /** Where this database is, without credentials: safe for logs, plans and events. */
    public String describe() {
        return "postgresql://" + host + ":" + port + "/" + database;
    }

    public Connection connect(String db) throws SQLException {
        return DriverManager.getConnection(jdbcUrl(db), username, password);
    }

    /** libpq connection options for pg_dump / pg_restore (no password: see {@link #pgEnv()}). */
    public List<String> pgArgs(String db) {
        return List.of("--host", host, "--port", Integer.toString(port), "--username", username, "--dbname", db);
    }

    public Map<String, String> pgEnv() {
        Map<String, String> env = new HashMap<>();
        env.put("PGPASSWORD", password);
        env.put("PGCONNECT_TIMEOUT", "10");
        return env;
    }
}
