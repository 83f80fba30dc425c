package dev.runway.validator.rules;

import java.util.regex.Matcher;

import com.fasterxml.jackson.databind.JsonNode;

import dev.runway.validator.rules.MigrationFiles.Found;
import dev.runway.validator.rules.MigrationFiles.Migration;

/**
 * Migration naming for {@code database.migrations.tool: prisma} (issue 16): Prisma's migrations
 * directory holds one folder per migration, {@code YYYYMMDDHHMMSS_description/migration.sql}, named
 * as {@code prisma migrate dev} names them (the SOP's 000-8.1 timestamp rule), and nothing else Runway
 * would apply. {@code migration_lock.toml} and READMEs are ignored as for every tool.
 */
final class PrismaMigrationNames {

    static final String SCRIPT = "migration.sql";

    private PrismaMigrationNames() {
    }

    /** Whether the manifest names tool prisma. */
    static boolean applies(JsonNode manifest) {
        return manifest != null && "prisma".equals(ValidationContext.text(manifest.path("database").path("migrations").path("tool")));
    }

    /** Reports {@link Rule#MIGRATION_NAMING} for each entry of a Prisma migrations directory. */
    static void check(ValidationContext ctx, String dir, Found found) {
        for (Migration m : found.valid().values()) {
            if (m.sqlPath().endsWith("/" + SCRIPT)) {
                ctx.pass(Rule.MIGRATION_NAMING, m.sqlPath(), "Valid Prisma migration: " + m.name());
            } else {
                ctx.fail(Rule.MIGRATION_NAMING, m.sqlPath(), m.name() + " is not a Prisma migration (expected " + dir
                        + "/YYYYMMDDHHMMSS_description/" + SCRIPT + ")", "Prisma applies only folders: move it to " + dir + "/"
                        + m.name().replaceFirst("\\.sql$", "") + "/" + SCRIPT);
            }
        }
        for (String child : found.invalid()) {
            if (!child.endsWith("/")) {
                ctx.fail(Rule.MIGRATION_NAMING, dir + "/" + child, child + " is not a Prisma migration (expected " + dir
                        + "/YYYYMMDDHHMMSS_description/" + SCRIPT + ")", "Prisma applies only migration folders; remove it or make it one");
                continue;
            }
            String name = child.substring(0, child.length() - 1);
            Matcher m = MigrationFiles.DIR_NAME.matcher(name);
            if (m.matches() && MigrationFiles.validStamp(m.group(1))) {
                ctx.fail(Rule.MIGRATION_NAMING, dir + "/" + name, "Prisma migration folder " + name + " has no " + SCRIPT,
                        "every folder holds the " + SCRIPT + " that `prisma migrate dev` wrote: restore it or remove the folder");
            } else {
                ctx.fail(Rule.MIGRATION_NAMING, dir + "/" + name, "Invalid Prisma migration folder name: " + name
                        + " (expected YYYYMMDDHHMMSS_description: Prisma generates timestamped names, sop.md 000-8.1)",
                        "create migrations with `prisma migrate dev --name <description>`, which names the folder"
                                + " YYYYMMDDHHMMSS_<description>; rename this one, e.g. 20260115143022_" + suffix(name));
            }
        }
        if (found.isEmpty()) {
            ctx.skip(Rule.MIGRATION_NAMING, null, "No migrations");
        }
    }

    /** The description part of a badly named folder ({@code 01_init} → {@code init}), for the hint. */
    private static String suffix(String name) {
        String rest = name.replaceFirst("^[0-9]*_?", "").toLowerCase().replaceAll("[^a-z0-9_]", "_");
        return rest.isEmpty() ? "description" : rest;
    }
}
