package dev.runway.executor.database;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import dev.runway.access.ProjectNames;
import dev.runway.events.Environment;
import dev.runway.executor.commands.StepFailure;
import dev.runway.executor.config.ExecutorConfig;

/**
 * One credential reference per project environment, so one client's migration can never reach
 * another client's database (issue 13). Looked up, in this order:
 * <ol>
 * <li>environment variables {@code RUNWAY_DB_<SAFE_PROJECT>_<ENV>_URL}, {@code _USERNAME}, {@code _PASSWORD}
 * (safe project upper-cased, '-' as '_'; e.g. {@code RUNWAY_DB_DEMO_SHOP_STAGING_URL});</li>
 * <li>files {@code <secrets-dir>/<safe project>-<env>/url}, {@code username}, {@code password}
 * (a mounted Kubernetes Secret has exactly this shape).</li>
 * </ol>
 * There is no credential shared by all projects of an environment. Runway's own databases are refused.
 */
@ApplicationScoped
public class DatabaseCredentials {

    private final Map<String, String> env;
    private final Optional<Path> secretsDir;
    private final Pattern runwayDatabases;

    @Inject
    public DatabaseCredentials(ExecutorConfig config) {
        this(System.getenv(), config.database().secretsDir().map(d -> Path.of(d).toAbsolutePath().normalize()),
                config.database().runwayDatabases());
    }

    DatabaseCredentials(Map<String, String> env, Optional<Path> secretsDir, String runwayDatabases) {
        this.env = env;
        this.secretsDir = secretsDir;
        this.runwayDatabases = Pattern.compile(runwayDatabases);
    }

    /** {@code RUNWAY_DB_DEMO_SHOP_STAGING_} for demo-shop in staging. */
    public static String variablePrefix(String safeProject, Environment environment) {
        return "RUNWAY_DB_" + (safeProject + "_" + environment.name()).toUpperCase(Locale.ROOT).replace('-', '_') + "_";
    }

    public ClientDatabase of(String project, Environment environment) {
        String safe;
        try {
            safe = ProjectNames.safe(project);
        } catch (IllegalArgumentException e) {
            throw new StepFailure("BAD_PROJECT_NAME", "project name cannot be used for a database reference: " + e.getMessage(), false);
        }
        String prefix = variablePrefix(safe, environment);
        Optional<Path> dir = secretsDir.map(d -> d.resolve(ProjectNames.projectEnvironment(safe, environment.name())));
        ClientDatabase db;
        String source;
        String url = blankToNull(env.get(prefix + "URL"));
        if (url != null) {
            source = "environment variable " + prefix + "URL";
            db = ClientDatabase.parse(url, Optional.ofNullable(blankToNull(env.get(prefix + "USERNAME"))).orElse(""),
                    Optional.ofNullable(env.get(prefix + "PASSWORD")).orElse(""));
        } else if (dir.isPresent() && Files.isRegularFile(dir.get().resolve("url"))) {
            source = "file " + dir.get().resolve("url");
            db = ClientDatabase.parse(read(dir.get().resolve("url")), Optional.ofNullable(read(dir.get().resolve("username"))).orElse(""),
                    Optional.ofNullable(read(dir.get().resolve("password"))).orElse(""));
        } else {
            throw new StepFailure("NO_DATABASE", "no database credentials for project " + project + " in " + environment.name().toLowerCase()
                    + ": set " + prefix + "URL, " + prefix + "USERNAME and " + prefix + "PASSWORD"
                    + dir.map(d -> ", or write " + d + "/url, username and password").orElse(
                            " (or configure runway.executor.database.secrets-dir)"), false);
        }
        // The value is never repeated: a URL may carry a password.
        if (db == null) {
            throw new StepFailure("BAD_DATABASE_URL", source + " is not of the form jdbc:postgresql://host[:port]/database", false);
        }
        if (db.username().isBlank()) {
            throw new StepFailure("NO_DATABASE", "no database user for project " + project + " in " + environment.name().toLowerCase()
                    + ": set " + prefix + "USERNAME" + dir.map(d -> " or write " + d + "/username").orElse(""), false);
        }
        if (runwayDatabases.matcher(db.database()).matches()) {
            throw new StepFailure("RUNWAY_DATABASE", source + " names " + db.database()
                    + ", one of Runway's own databases (runway.executor.database.runway-databases): a client project never gets it", false);
        }
        return db;
    }

    private static String read(Path file) {
        try {
            return Files.isRegularFile(file) ? blankToNull(Files.readString(file).strip()) : null;
        } catch (IOException e) {
            throw new StepFailure("NO_DATABASE", "cannot read " + file + ": " + e.getClass().getSimpleName(), true);
        }
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }
}
