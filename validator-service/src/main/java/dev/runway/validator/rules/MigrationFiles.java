package dev.runway.validator.rules;

import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.format.ResolverStyle;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;

import dev.runway.events.MigrationSet;
import dev.runway.events.MigrationSets;
import dev.runway.validator.source.ProjectSource;

/**
 * Where a project keeps its migrations and schema files, read from one snapshot: the file side of
 * phase 7, so {@link MigrationRules} only judges what is found here.
 */
final class MigrationFiles {

    static final String DEFAULT_DIR = "database/migrations";
    /** Largest migration or schema file read. */
    static final int MAX_BYTES = 1024 * 1024;

    private static final Pattern FILE_NAME = Pattern.compile("^(\\d{14})_[a-z0-9][a-z0-9_]*\\.sql$");
    static final Pattern DIR_NAME = Pattern.compile("^(\\d{14})_[a-z0-9][a-z0-9_]*$");
    private static final Set<String> IGNORED = Set.of("README.md", "README", ".gitkeep", "migration_lock.toml");
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("uuuuMMddHHmmss").withResolverStyle(ResolverStyle.STRICT);
    private static final Pattern SCHEMA_FILE = Pattern.compile(
            "(^|/)(schema\\.prisma|schema\\.sql|schema\\.rb|models\\.py|[^/]+\\.entity\\.(ts|js))$");

    /** A migration named as sop.md 000-8.1 asks: its name in the directory, its timestamp and its SQL file. */
    record Migration(String name, String timestamp, String sqlPath) {
    }

    /** What a migrations directory holds: valid migrations by name (sorted) and the names that are not. */
    record Found(Map<String, Migration> valid, List<String> invalid) {
        boolean isEmpty() {
            return valid.isEmpty() && invalid.isEmpty();
        }
    }

    private MigrationFiles() {
    }

    /**
     * {@code database.migrations.path} of the manifest normalised as the executor does ({@code ./a//b/} → {@code a/b}),
     * or, when none is declared, where the orchestrator tells the executor to look: {@code prisma/migrations} for the
     * prisma tool, else {@link #DEFAULT_DIR}; empty when the declared path is refused ({@link #refusal}).
     */
    static Optional<String> directory(JsonNode manifest) {
        String declared = declared(manifest);
        if (declared == null) {
            String tool = manifest == null ? null : ValidationContext.text(manifest.path("database").path("migrations").path("tool"));
            return Optional.of("prisma".equals(tool) ? "prisma/migrations" : DEFAULT_DIR);
        }
        if (refusal(manifest).isPresent()) {
            return Optional.empty();
        }
        List<String> names = new ArrayList<>();
        for (String name : declared.split("/")) {
            if (!name.isEmpty() && !name.equals(".")) {
                names.add(name);
            }
        }
        return Optional.of(String.join("/", names));
    }

    /**
     * Why the declared {@code database.migrations.path} is refused (absolute, {@code ..}, backslash, control characters,
     * or the repository root), as the schema and the executor refuse it; empty when it is fine or not declared.
     */
    static Optional<String> refusal(JsonNode manifest) {
        String declared = declared(manifest);
        if (declared == null) {
            return Optional.empty();
        }
        if (declared.chars().anyMatch(c -> c < 0x20)) {
            return Optional.of("it contains control characters");
        }
        // Quoted at most 100 characters long: a hostile manifest's path is not echoed whole.
        String shown = declared.length() > 100 ? declared.substring(0, 100) + "…" : declared;
        if (!ProjectSource.isSafeRelative(declared)) {
            return Optional.of("'" + shown + "' is absolute or leaves the repository ('..', backslash): give a directory "
                    + "relative to the repository root, inside it");
        }
        if (declared.replace("/", "").replace(".", "").isEmpty()) {
            return Optional.of("'" + shown + "' names the repository root, not a migrations directory");
        }
        return Optional.empty();
    }

    private static String declared(JsonNode manifest) {
        return manifest == null ? null : ValidationContext.text(manifest.path("database").path("migrations").path("path"));
    }

    /**
     * The set a passing validation records for the executor: every {@code *.sql} directly in the migrations directory
     * and every {@code <folder>/migration.sql} one level down (Prisma's layout), regular files of the commit, by path
     * relative to the directory, checksummed by {@link MigrationSets} (the executor builds the same set from the commit).
     * Empty when the path is refused, or when no database is declared and there is no such file.
     */
    static Optional<MigrationSet> validatedSet(ProjectSource source, JsonNode manifest) {
        Optional<String> dir = directory(manifest);
        if (dir.isEmpty()) {
            return Optional.empty();
        }
        String prefix = dir.get() + "/";
        Map<String, byte[]> files = new TreeMap<>();
        for (String path : source.files()) {
            String rest = path.startsWith(prefix) ? path.substring(prefix.length()) : "";
            boolean direct = rest.endsWith(".sql") && rest.indexOf('/') < 0;
            boolean folder = rest.endsWith("/migration.sql") && rest.indexOf('/') == rest.length() - "/migration.sql".length();
            if (direct || folder) {
                files.put(rest, source.read(path, MAX_BYTES).orElseThrow());
            }
        }
        boolean databaseDeclared = manifest != null && manifest.path("database").isObject();
        return files.isEmpty() && !databaseDeclared ? Optional.empty() : Optional.of(MigrationSets.of(dir.get(), files));
    }

    /** The name the SOP expects in {@code dir}: Prisma keeps each migration in a folder. */
    static String expectedName(String dir) {
        return dir.equals("prisma/migrations") ? dir + "/YYYYMMDDHHMMSS_description/migration.sql" : dir + "/YYYYMMDDHHMMSS_description.sql";
    }

    /** Migrations directly in {@code dir}: NAME.sql files, or Prisma-style NAME/migration.sql directories. */
    static Found scan(ProjectSource source, String dir) {
        Map<String, Migration> valid = new TreeMap<>();
        List<String> invalid = new ArrayList<>();
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
        return new Found(valid, invalid);
    }

    static boolean validStamp(String stamp) {
        try {
            LocalDateTime.parse(stamp, STAMP);
            return true;
        } catch (DateTimeParseException e) {
            return false;
        }
    }

    /** Schema files (Prisma, SQL, Rails, Django, TypeORM entities) added, removed or changed between two snapshots. */
    static List<String> changedSchemaFiles(ProjectSource now, ProjectSource before) {
        Set<String> schemaFiles = new TreeSet<>();
        now.files().stream().filter(MigrationFiles::isSchemaFile).forEach(schemaFiles::add);
        before.files().stream().filter(MigrationFiles::isSchemaFile).forEach(schemaFiles::add);
        List<String> changed = new ArrayList<>();
        for (String path : schemaFiles) {
            Optional<byte[]> current = now.read(path, MAX_BYTES);
            Optional<byte[]> then = before.read(path, MAX_BYTES);
            if (current.isPresent() != then.isPresent() || current.isPresent() && !Arrays.equals(current.get(), then.get())) {
                changed.add(path);
            }
        }
        return changed;
    }

    private static boolean isSchemaFile(String path) {
        return SCHEMA_FILE.matcher(path).find() && !path.contains("node_modules/");
    }
}
