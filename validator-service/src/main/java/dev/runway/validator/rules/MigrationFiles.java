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
    private static final Pattern DIR_NAME = Pattern.compile("^(\\d{14})_[a-z0-9][a-z0-9_]*$");
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

    /** Where each migration tool keeps its migrations by default; tools not named here use {@link #DEFAULT_DIR}. */
    static final Map<String, String> TOOL_DIRS = Map.of("prisma", "prisma/migrations", "sql", DEFAULT_DIR, "flyway", DEFAULT_DIR);

    /**
     * {@code database.migrations.path} of the manifest when it is a safe relative path, else the
     * default folder of {@code database.migrations.tool} (prisma: prisma/migrations), else {@link #DEFAULT_DIR}.
     */
    static String directory(JsonNode manifest) {
        String declared = manifest == null ? null
                : ValidationContext.text(manifest.path("database").path("migrations").path("path"));
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
        String tool = manifest == null ? null : ValidationContext.text(manifest.path("database").path("migrations").path("tool"));
        return tool == null ? DEFAULT_DIR : TOOL_DIRS.getOrDefault(tool.strip().toLowerCase(Locale.ROOT), DEFAULT_DIR);
    }

    /** The name the SOP expects in {@code dir}: Prisma keeps each migration in a folder. */
    static String expectedName(String dir) {
        return dir.equals(TOOL_DIRS.get("prisma")) ? dir + "/YYYYMMDDHHMMSS_description/migration.sql" : dir + "/YYYYMMDDHHMMSS_description.sql";
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

    private static boolean validStamp(String stamp) {
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
