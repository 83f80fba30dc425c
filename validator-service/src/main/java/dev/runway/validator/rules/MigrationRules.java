package dev.runway.validator.rules;

import java.nio.charset.CharacterCodingException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import dev.runway.validator.rules.MigrationFiles.Found;
import dev.runway.validator.rules.MigrationFiles.Migration;
import dev.runway.validator.rules.MigrationSql.Drop;
import dev.runway.validator.source.FileTooLargeException;
import dev.runway.validator.source.GitFacts;
import dev.runway.validator.source.ProjectSource;

/**
 * Phase 7: migrations are named and ordered by timestamp (sop.md 000-8.1), schema changes come with a
 * migration, and new migrations are forward-compatible (004): old and new versions run side by
 * side during blue-green, canary and rolling deployments, so a migration must not break the old one.
 * The rules only: finding the files is {@link MigrationFiles}, reading the SQL {@link MigrationSql},
 * searching the code {@link CodeIndex}.
 */
final class MigrationRules implements Validator.PhaseRules {

    @Override
    public void apply(ValidationContext ctx) {
        Optional<String> refused = MigrationFiles.refusal(ctx.manifest);
        if (refused.isPresent()) {
            // Checked as declared, never replaced by the default directory: the executor refuses the same path.
            ctx.fail(Rule.MIGRATIONS_PRESENT, "database.migrations.path", "database.migrations.path refused: " + refused.get(),
                    "migrations are read only from inside the repository, e.g. database/migrations");
            return;
        }
        String dir = MigrationFiles.directory(ctx.manifest).orElseThrow();
        Found found = MigrationFiles.scan(ctx.source, dir);
        Map<String, Migration> current = found.valid();
        boolean databaseDeclared = ctx.manifest != null && ctx.manifest.path("database").isObject();

        if (found.isEmpty()) {
            if (databaseDeclared) {
                ctx.fail(Rule.MIGRATIONS_PRESENT, dir, "Database declared but no migrations in " + dir,
                        "add migrations as " + MigrationFiles.expectedName(dir) + " (sop.md 000-8.1), or set database.migrations.path");
            } else {
                ctx.pass(Rule.MIGRATIONS_PRESENT, null, "No database declared and no migrations");
            }
        } else {
            ctx.pass(Rule.MIGRATIONS_PRESENT, dir, "Found " + (current.size() + found.invalid().size()) + " migration files");
        }
        naming(ctx, dir, found);

        GitFacts git = ctx.source.git();
        Optional<GitFacts.Release> previous = git.available() ? git.previousRelease() : Optional.empty();
        ProjectSource before = previous.map(r -> git.snapshot(r.commit())).orElse(null);
        try {
            Map<String, Migration> released = before == null ? new TreeMap<>() : MigrationFiles.scan(before, dir).valid();
            List<Migration> added = current.values().stream().filter(m -> !released.containsKey(m.name())).toList();
            order(ctx, dir, current, released, added, previous);
            schemaChange(ctx, before, previous, added);
            forwardCompatible(ctx, dir, before, previous, added);
        } finally {
            if (before != null) {
                before.close();
            }
        }
    }

    private static void naming(ValidationContext ctx, String dir, Found found) {
        if (PrismaMigrationNames.applies(ctx.manifest)) {
            PrismaMigrationNames.check(ctx, dir, found);
            return;
        }
        for (Migration m : found.valid().values()) {
            ctx.pass(Rule.MIGRATION_NAMING, m.sqlPath(), "Valid migration name: " + m.name());
        }
        for (String name : found.invalid()) {
            ctx.fail(Rule.MIGRATION_NAMING, dir + "/" + name, "Invalid migration name format: " + name
                    + " (expected: YYYYMMDDHHMMSS_description.sql)", "rename it, e.g. 20260115143022_add_user_preferences_table.sql");
        }
        if (found.isEmpty()) {
            ctx.skip(Rule.MIGRATION_NAMING, null, "No migrations");
        }
    }

    private static void order(ValidationContext ctx, String dir, Map<String, Migration> current, Map<String, Migration> released,
            List<Migration> added, Optional<GitFacts.Release> previous) {
        if (current.isEmpty()) {
            ctx.skip(Rule.MIGRATION_ORDER, null, "No migrations");
            return;
        }
        boolean ok = true;
        Map<String, List<String>> byStamp = new TreeMap<>();
        current.values().forEach(m -> byStamp.computeIfAbsent(m.timestamp(), k -> new ArrayList<>()).add(m.name()));
        for (Map.Entry<String, List<String>> e : byStamp.entrySet()) {
            if (e.getValue().size() > 1) {
                ok = false;
                ctx.fail(Rule.MIGRATION_ORDER, dir, "Migrations share timestamp " + e.getKey() + ": " + String.join(", ", e.getValue()),
                        "give each migration its own timestamp");
            }
        }
        String newestReleased = released.values().stream().map(Migration::timestamp).max(String::compareTo).orElse(null);
        if (newestReleased != null) {
            for (Migration m : added) {
                if (m.timestamp().compareTo(newestReleased) <= 0) {
                    ok = false;
                    ctx.fail(Rule.MIGRATION_ORDER, m.sqlPath(), "New migration " + m.name() + " sorts before migrations already released in "
                            + previous.get().tag() + " (newest " + newestReleased + ")",
                            "rename it with a timestamp after " + newestReleased + " so every database applies it");
                }
            }
        }
        if (ok) {
            ctx.pass(Rule.MIGRATION_ORDER, dir, "Migration timestamps unique and ordered"
                    + previous.map(r -> " (" + added.size() + " new since " + r.tag() + ")").orElse(""));
        }
    }

    private static void schemaChange(ValidationContext ctx, ProjectSource before, Optional<GitFacts.Release> previous,
            List<Migration> added) {
        if (before == null) {
            ctx.skip(Rule.SCHEMA_CHANGE_WITHOUT_MIGRATION, null, "No previous release to compare schema files with");
            return;
        }
        List<String> changed = MigrationFiles.changedSchemaFiles(ctx.source, before);
        String tag = previous.get().tag();
        if (changed.isEmpty()) {
            ctx.pass(Rule.SCHEMA_CHANGE_WITHOUT_MIGRATION, null, "No schema file changed since " + tag);
        } else if (added.isEmpty()) {
            ctx.fail(Rule.SCHEMA_CHANGE_WITHOUT_MIGRATION, changed.get(0), "Schema changed since " + tag + " ("
                    + String.join(", ", changed) + ") but no new migration", "add a migration for the schema change (sop.md 000-1.2)");
        } else {
            ctx.pass(Rule.SCHEMA_CHANGE_WITHOUT_MIGRATION, changed.get(0), "Schema changes since " + tag + " come with "
                    + added.size() + " new migration(s)");
        }
    }

    private static void forwardCompatible(ValidationContext ctx, String dir, ProjectSource before, Optional<GitFacts.Release> previous,
            List<Migration> added) {
        if (added.isEmpty()) {
            ctx.skip(Rule.FORWARD_COMPATIBLE, null, previous.map(r -> "No new migration since " + r.tag()).orElse("No migrations"));
            return;
        }
        String strategy = ctx.strategy().name().toLowerCase().replace('_', '-');
        CodeIndex nowCode = new CodeIndex(ctx.source, dir);
        CodeIndex oldCode = before == null ? null : new CodeIndex(before, dir);
        int problems = 0;
        for (Migration m : added) {
            String sql;
            try {
                sql = ctx.text(m.sqlPath(), MigrationFiles.MAX_BYTES).orElse("");
            } catch (FileTooLargeException e) {
                ctx.fail(Rule.FORWARD_COMPATIBLE, m.sqlPath(), "Migration too large to check (" + e.size() + " bytes)", null);
                problems++;
                continue;
            } catch (CharacterCodingException e) {
                ctx.fail(Rule.FORWARD_COMPATIBLE, m.sqlPath(), "Migration is not UTF-8 text", null);
                problems++;
                continue;
            }
            for (String statement : MigrationSql.statements(sql)) {
                for (String issue : issues(statement, nowCode, oldCode, previous)) {
                    problems++;
                    ctx.fail(Rule.FORWARD_COMPATIBLE, m.sqlPath(), m.name() + ": " + issue + " - breaks the version still serving during a "
                            + strategy + " deployment", "split it into expand and contract releases (004: add, copy, switch code, drop later)");
                }
            }
        }
        if (problems == 0) {
            ctx.pass(Rule.FORWARD_COMPATIBLE, dir, added.size() + " new migration(s) forward-compatible");
        }
    }

    private static List<String> issues(String statement, CodeIndex nowCode, CodeIndex oldCode, Optional<GitFacts.Release> previous) {
        MigrationSql.Findings findings = MigrationSql.inspect(statement);
        List<String> issues = new ArrayList<>(findings.issues());
        for (Drop drop : findings.drops()) {
            dropped(drop, nowCode, oldCode, previous).ifPresent(issues::add);
        }
        return issues;
    }

    /** A drop is forward-compatible only once no code - new or still running - reads the name. */
    private static Optional<String> dropped(Drop drop, CodeIndex nowCode, CodeIndex oldCode, Optional<GitFacts.Release> previous) {
        Optional<String> now = nowCode.firstReference(drop.name());
        if (now.isPresent()) {
            return Optional.of("drops " + drop.kind() + " " + drop.name() + " that this release still reads (" + now.get() + ")");
        }
        if (oldCode != null) {
            Optional<String> old = oldCode.firstReference(drop.name());
            if (old.isPresent()) {
                return Optional.of("drops " + drop.kind() + " " + drop.name() + " that the running release " + previous.get().tag()
                        + " still reads (" + old.get() + ")");
            }
        }
        return Optional.empty();
    }

    @Override
    public Rule backstop() {
        return Rule.MIGRATION_NAMING;
    }
}
