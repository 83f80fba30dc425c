package dev.runway.executor.database;

import java.util.Locale;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import dev.runway.executor.commands.StepFailure;

/**
 * The small, explicit set of migration tools Runway applies itself (issue 16): {@code sql} and
 * {@code flyway} are the same Flyway applier, {@code prisma} reads Prisma's migration folders.
 * Anything else is refused with the list; the manifest schema refuses it before a deployment starts.
 */
@ApplicationScoped
public class MigrationTools {

    public static final String DEFAULT = "sql";

    private final Map<String, MigrationTool> tools;

    public MigrationTools() {
        MigrationTool flyway = new FlywayMigrations();
        this.tools = Map.of("sql", flyway, "flyway", flyway, "prisma", new PrismaMigrations());
    }

    /** The tool named {@code name} (blank: {@value #DEFAULT}). */
    public MigrationTool of(String name) {
        MigrationTool tool = tools.get(normalise(name));
        if (tool == null) {
            throw new StepFailure("UNKNOWN_MIGRATION_TOOL", "database.migrations.tool '" + name + "' is not one Runway applies:"
                    + " use sql, flyway or prisma", false);
        }
        return tool;
    }

    /** The name {@link #of} resolves {@code name} to, as recorded with the deployment. */
    public static String normalise(String name) {
        return name == null || name.isBlank() ? DEFAULT : name.strip().toLowerCase(Locale.ROOT);
    }
}
