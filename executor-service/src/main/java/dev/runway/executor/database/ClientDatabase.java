package dev.runway.executor.database;

import java.net.URI;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import dev.runway.events.Environment;
import dev.runway.executor.config.EnvironmentSettings;
import dev.runway.executor.config.StepFailure;

/**
 * A client project's database as configured for an environment. The JDBC URL may contain
 * {@code {project}} (the project name, lower case, non-alphanumerics as '_') so one environment
 * serves several projects. The password only ever travels in PGPASSWORD / JDBC properties.
 */
public record ClientDatabase(String host, int port, String database, String username, String password) {

    public static ClientDatabase of(Environment environment, String project, EnvironmentSettings settings) {
        String url = settings.databaseUrl().orElseThrow(() -> new StepFailure("NO_DATABASE",
                "no database configured for " + environment.name().toLowerCase()
                        + " (runway.executor.environments." + environment.name().toLowerCase() + ".database-url)", false));
        url = url.replace("{project}", project.toLowerCase().replaceAll("[^a-z0-9]", "_"));
        if (!url.startsWith("jdbc:postgresql://")) {
            throw new StepFailure("BAD_DATABASE_URL", "database URL of " + environment + " is not jdbc:postgresql://host:port/db", false);
        }
        URI uri = URI.create(url.substring("jdbc:".length()));
        String db = uri.getPath().replaceFirst("^/", "");
        return new ClientDatabase(uri.getHost(), uri.getPort() < 0 ? 5432 : uri.getPort(), db,
                settings.databaseUsername().orElse(System.getProperty("user.name")), settings.databasePassword().orElse(""));
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
