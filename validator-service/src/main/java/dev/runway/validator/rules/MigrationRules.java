package dev.runway.validator.rules;

import java.nio.charset.CharacterCodingException;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.format.ResolverStyle;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.runway.validator.source.FileTooLargeException;
import dev.runway.validator.source.GitFacts;
import dev.runway.validator.source.ProjectSource;

/**
 * Phase 7: migrations are named and ordered by timestamp (000 §8.1), schema changes come with a
 * migration, and new migrations are forward-compatible (004): old and new versions run side by
 * side during blue-green, canary and rolling deployments, so a migration must not break the old one.
 */
final class MigrationRules implements Validator.PhaseRules {

    static final String DEFAULT_DIR = "database/migrations";
    static final int MAX_MIGRATION_BYTES = 1024 * 1024;
    static final int MAX_CODE_BYTES = 512 * 1024;
    static final long CODE_BUDGET = 32L * 1024 * 1024;

    private static final Pattern FILE_NAME = Pattern.compile("^(\\d{14})_[a-z0-9][a-z0-9_]*\\.sql$");
    private static final Pattern DIR_NAME = Pattern.compile("^(\\d{14})_[a-z0-9][a-z0-9_]*$");
    private static final Set<String> IGNORED = Set.of("README.md", "README", ".gitkeep", "migration_lock.toml");
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("uuuuMMddHHmmss").withResolverStyle(ResolverStyle.STRICT);
    private static final Set<String> CODE_EXTENSIONS = Set.of("js", "jsx", "mjs", "cjs", "ts", "tsx", "java", "kt", "py", "go", "rb",
            "dart", "php", "cs", "prisma", "graphql", "gql", "vue", "svelte");
    private static final Pattern SCHEMA_FILE = Pattern.compile(
            "(^|/)(schema\\.prisma|schema\\.sql|schema\\.rb|models\\.py|[^/]+\\.entity\\.(ts|js))$");

    private static final Pattern RENAME = Pattern.compile("(?is)\\bALTER\\s+TABLE\\b[^;]*?\\bRENAME\\s+(?!CONSTRAINT\\b)(COLUMN\\s+|TO\\b)?");
    private static final Pattern TYPE_CHANGE = Pattern.compile("(?is)\\bALTER\\s+(?:COLUMN\\s+)?\"?\\w+\"?\\s+(?:SET\\s+DATA\\s+)?TYPE\\b");
    private static final Pattern SET_NOT_NULL = Pattern.compile("(?is)\\bALTER\\s+(?:COLUMN\\s+)?\"?(\\w+)\"?\\s+SET\\s+NOT\\s+NULL\\b");
    private static final Pattern ADD_COLUMN = Pattern.compile(
            "(?is)\\bADD\\s+(?:COLUMN\\s+)?(?:IF\\s+NOT\\s+EXISTS\\s+)?\"?(\\w+)\"?(.*?)(?=,\\s*(?:ADD|DROP|ALTER|RENAME)\\b|$)");
    private static final Pattern DROP_COLUMN = Pattern.compile(
            "(?is)\\bDROP\\s+(?!CONSTRAINT\\b|DEFAULT\\b|NOT\\b|INDEX\\b|IDENTITY\\b|EXPRESSION\\b|TABLE\\b|VIEW\\b|SCHEMA\\b|TRIGGER\\b|FUNCTION\\b|TYPE\\b|SEQUENCE\\b|EXTENSION\\b)(?:COLUMN\\s+)?(?:IF\\s+EXISTS\\s+)?\"?(\\w+)\"?");
    private static final Pattern DROP_TABLE = Pattern.compile("(?is)\\bDROP\\s+TABLE\\s+(?:IF\\s+EXISTS\\s+)?([\\w.\",\\s]+?)(?:\\s+CASCADE|\\s+RESTRICT)?\\s*$");

    record Migration(String name, String timestamp, String sqlPath) {
    }

    @Override
    public void apply(ValidationContext ctx) {
        String dir = migrationsDir(ctx);
        Map<String, Migration> current = new TreeMap<>();
        List<String> invalid = new ArrayList<>();
        scan(ctx.source, dir, current, invalid);
        boolean databaseDeclared = ctx.manifest != null && ctx.manifest.path("database").isObject();

        if (current.isEmpty() && invalid.isEmpty()) {
            if (databaseDeclared) {
                ctx.fail(Rule.MIGRATIONS_PRESENT, dir, "Database declared but no migrations in " + dir,
                        "add migrations as " + dir + "/YYYYMMDDHHMMSS_description.sql (000 §8.1)");
            } else {
                ctx.pass(Rule.MIGRATIONS_PRESENT, null, "No database declared and no migrations");
            }
        } else {
            ctx.pass(Rule.MIGRATIONS_PRESENT, dir, "Found " + (current.size() + invalid.size()) + " migration files");
        }
        naming(ctx, dir, current, invalid);

        GitFacts git = ctx.source.git();
        Optional<GitFacts.Release> previous = git.available() ? git.previousRelease() : Optional.empty();
        ProjectSource before = previous.map(r -> git.snapshot(r.commit())).orElse(null);
        try {
            Map<String, Migration> released = new TreeMap<>();
            if (before != null) {
                scan(before, dir, released, new ArrayList<>());
            }
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

    private static String migrationsDir(ValidationContext ctx) {
        String declared = ctx.manifest == null ? null
                : ValidationContext.text(ctx.manifest.path("database").path("migrations").path("path"));
        if (declared != null) {
            String d = declared.strip();
            while (d.endsWith("/")) {
                d = d.substring(0, d.length() - 1);
            }
            if (d.startsWith("./")) {
                d = d.substring(2);
            }
            if (ProjectSource.isSafeRelative(d)) {
                return d;
            }
        }
        return DEFAULT_DIR;
    }

    /** Migrations directly in {@code dir}: NAME.sql files, or Prisma-style NAME/migration.sql directories. */
    private static void scan(ProjectSource source, String dir, Map<String, Migration> valid, List<String> invalid) {
        String prefix = dir + "/";
        Map<String, List<String>> children = new LinkedHashMap<>();
        for (String path : source.files()) {
            if (path.startsWith(prefix)) {
                String rest = path.substring(prefix.length());
                int slash = rest.indexOf('/');
                children.computeIfAbsent(slash < 0 ? rest : rest.substring(0, slash) + "/", k -> new ArrayList<>()).add(rest);
            }
        }
        children.forEach((child, files) -> {
            if (IGNORED.contains(child)) {
                return;
            }
            if (child.endsWith("/")) {
                String name = child.substring(0, child.length() - 1);
                Matcher m = DIR_NAME.matcher(name);
                if (m.matches() && validStamp(m.group(1)) && files.contains(name + "/migration.sql")) {
                    valid.put(name, new Migration(name, m.group(1), prefix + name + "/migration.sql"));
                } else {
                    invalid.add(child);
                }
            } else {
                Matcher m = FILE_NAME.matcher(child);
                if (m.matches() && validStamp(m.group(1))) {
                    valid.put(child, new Migration(child, m.group(1), prefix + child));
                } else {
                    invalid.add(child);
                }
            }
        });
    }

    private static boolean validStamp(String stamp) {
        try {
            LocalDateTime.parse(stamp, STAMP);
            return true;
        } catch (DateTimeParseException e) {
            return false;
        }
    }

    private static void naming(ValidationContext ctx, String dir, Map<String, Migration> current, List<String> invalid) {
        for (Migration m : current.values()) {
            ctx.pass(Rule.MIGRATION_NAMING, m.sqlPath(), "Valid migration name: " + m.name());
        }
        for (String name : invalid) {
            ctx.fail(Rule.MIGRATION_NAMING, dir + "/" + name, "Invalid migration name format: " + name
                    + " (expected: YYYYMMDDHHMMSS_description.sql)", "rename it, e.g. 20260115143022_add_user_preferences_table.sql");
        }
        if (current.isEmpty() && invalid.isEmpty()) {
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
        Set<String> schemaFiles = new TreeSet<>();
        ctx.source.files().stream().filter(p -> SCHEMA_FILE.matcher(p).find() && !p.contains("node_modules/")).forEach(schemaFiles::add);
        before.files().stream().filter(p -> SCHEMA_FILE.matcher(p).find() && !p.contains("node_modules/")).forEach(schemaFiles::add);
        List<String> changed = new ArrayList<>();
        for (String path : schemaFiles) {
            Optional<byte[]> now = ctx.source.read(path, MAX_MIGRATION_BYTES);
            Optional<byte[]> then = before.read(path, MAX_MIGRATION_BYTES);
            if (now.isPresent() != then.isPresent() || now.isPresent() && !Arrays.equals(now.get(), then.get())) {
                changed.add(path);
            }
        }
        String tag = previous.get().tag();
        if (changed.isEmpty()) {
            ctx.pass(Rule.SCHEMA_CHANGE_WITHOUT_MIGRATION, null, "No schema file changed since " + tag);
        } else if (added.isEmpty()) {
            ctx.fail(Rule.SCHEMA_CHANGE_WITHOUT_MIGRATION, changed.get(0), "Schema changed since " + tag + " ("
                    + String.join(", ", changed) + ") but no new migration", "add a migration for the schema change (000 §1.2)");
        } else {
            ctx.pass(Rule.SCHEMA_CHANGE_WITHOUT_MIGRATION, changed.get(0), "Schema changes since " + tag + " come with "
                    + added.size() + " new migration(s)");
        }
    }

    private void forwardCompatible(ValidationContext ctx, String dir, ProjectSource before, Optional<GitFacts.Release> previous,
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
                sql = ctx.text(m.sqlPath(), MAX_MIGRATION_BYTES).orElse("");
            } catch (FileTooLargeException e) {
                ctx.fail(Rule.FORWARD_COMPATIBLE, m.sqlPath(), "Migration too large to check (" + e.size() + " bytes)", null);
                problems++;
                continue;
            } catch (CharacterCodingException e) {
                ctx.fail(Rule.FORWARD_COMPATIBLE, m.sqlPath(), "Migration is not UTF-8 text", null);
                problems++;
                continue;
            }
            for (String statement : statements(sql)) {
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
        List<String> issues = new ArrayList<>();
        String shown = statement.replaceAll("\\s+", " ").strip();
        if (shown.length() > 120) {
            shown = shown.substring(0, 120) + "...";
        }
        if (RENAME.matcher(statement).find()) {
            issues.add("renames (" + shown + ")");
        }
        if (TYPE_CHANGE.matcher(statement).find()) {
            issues.add("changes a column type (" + shown + ")");
        }
        Matcher notNull = SET_NOT_NULL.matcher(statement);
        while (notNull.find()) {
            issues.add("makes " + notNull.group(1) + " NOT NULL, which the running version may still leave empty");
        }
        if (statement.matches("(?is)\\s*ALTER\\s+TABLE\\b.*")) {
            Matcher add = ADD_COLUMN.matcher(statement);
            while (add.find()) {
                String clause = add.group(2);
                if (!add.group(1).equalsIgnoreCase("CONSTRAINT") && clause.matches("(?is).*\\bNOT\\s+NULL\\b.*")
                        && !clause.matches("(?is).*\\b(DEFAULT|GENERATED)\\b.*")) {
                    issues.add("adds NOT NULL column " + add.group(1) + " without a default: the running version's inserts fail");
                }
            }
            Matcher drop = DROP_COLUMN.matcher(statement);
            while (drop.find()) {
                dropped("column", drop.group(1), nowCode, oldCode, previous).ifPresent(issues::add);
            }
        }
        Matcher dropTable = DROP_TABLE.matcher(statement);
        if (dropTable.find()) {
            for (String t : dropTable.group(1).split(",")) {
                String table = t.strip().replace("\"", "");
                table = table.substring(table.lastIndexOf('.') + 1);
                if (!table.isEmpty()) {
                    dropped("table", table, nowCode, oldCode, previous).ifPresent(issues::add);
                }
            }
        }
        return issues;
    }

    /** A drop is forward-compatible only once no code - new or still running - reads the name. */
    private static Optional<String> dropped(String kind, String name, CodeIndex nowCode, CodeIndex oldCode,
            Optional<GitFacts.Release> previous) {
        Optional<String> now = nowCode.firstReference(name);
        if (now.isPresent()) {
            return Optional.of("drops " + kind + " " + name + " that this release still reads (" + now.get() + ")");
        }
        if (oldCode != null) {
            Optional<String> old = oldCode.firstReference(name);
            if (old.isPresent()) {
                return Optional.of("drops " + kind + " " + name + " that the running release " + previous.get().tag()
                        + " still reads (" + old.get() + ")");
            }
        }
        return Optional.empty();
    }

    /** SQL without comments, split at semicolons (string literals with ';' are rare in migrations). */
    static List<String> statements(String sql) {
        String noBlock = sql.replaceAll("(?s)/\\*.*?\\*/", " ");
        StringBuilder out = new StringBuilder();
        for (String line : noBlock.split("\n")) {
            int dash = line.indexOf("--");
            out.append(dash >= 0 ? line.substring(0, dash) : line).append('\n');
        }
        List<String> statements = new ArrayList<>();
        for (String s : out.toString().split(";")) {
            if (!s.isBlank()) {
                statements.add(s.strip());
            }
        }
        return statements;
    }

    /** Source files of a snapshot, searched for identifiers a migration drops; bounded in bytes. */
    static final class CodeIndex {
        private final ProjectSource source;
        private final String migrationsDir;
        private Map<String, String> texts;

        CodeIndex(ProjectSource source, String migrationsDir) {
            this.source = source;
            this.migrationsDir = migrationsDir + "/";
        }

        Optional<String> firstReference(String identifier) {
            Pattern word = Pattern.compile("(?i)(?<![A-Za-z0-9_])" + Pattern.quote(identifier) + "(?![A-Za-z0-9_])");
            for (Map.Entry<String, String> e : texts().entrySet()) {
                if (word.matcher(e.getValue()).find()) {
                    return Optional.of(e.getKey());
                }
            }
            return Optional.empty();
        }

        private Map<String, String> texts() {
            if (texts == null) {
                texts = new TreeMap<>();
                long budget = CODE_BUDGET;
                for (String path : source.files()) {
                    int dot = path.lastIndexOf('.');
                    if (budget <= 0 || dot < 0 || !CODE_EXTENSIONS.contains(path.substring(dot + 1))
                            || path.startsWith(migrationsDir) || path.contains("node_modules/")) {
                        continue;
                    }
                    try {
                        Optional<byte[]> bytes = source.read(path, MAX_CODE_BYTES);
                        if (bytes.isPresent()) {
                            budget -= bytes.get().length;
                            texts.put(path, new String(bytes.get(), java.nio.charset.StandardCharsets.UTF_8));
                        }
                    } catch (FileTooLargeException e) {
                        // generated bundles are not the code that reads columns
                    }
                }
            }
            return texts;
        }
    }

    @Override
    public Rule backstop() {
        return Rule.MIGRATION_NAMING;
    }
}
