package dev.runway.executor.database;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.CRC32;

import dev.runway.executor.repository.CommitTree;

/**
 * One migration in the SOP's form (sop.md 000-8.1/000-8.2): {@code YYYYMMDDHHMMSS_name.sql}, an UP section
 * wrapped in {@code BEGIN; … COMMIT;} and an optional DOWN section written as comments.
 * The explicit BEGIN/COMMIT lines are dropped: Flyway runs each migration in its own transaction,
 * and a COMMIT inside it would end that transaction early.
 */
public record MigrationFile(String fileName, String version, String description, String up, Optional<String> down, int checksum) {

    static final Pattern NAME = Pattern.compile("^(\\d{14})_([A-Za-z0-9_]+)\\.sql$");
    private static final Pattern DOWN_MARKER = Pattern.compile("(?i)^\\s*--.*\\bDOWN\\b.*$");
    private static final Pattern TX_CONTROL = Pattern.compile("(?i)^\\s*(--\\s*)?(BEGIN|COMMIT|START TRANSACTION|BEGIN TRANSACTION|END)\\s*;\\s*$");
    private static final Pattern DECORATION = Pattern.compile("^[\\s═=\\-─*#]*$");

    public String name() {
        return fileName.substring(0, fileName.length() - ".sql".length());
    }

    /** Every {@code *.sql} of a commit's migrations directory, in version order; a file off the naming convention is an error. */
    public static List<MigrationFile> of(List<CommitTree.File> files) {
        List<MigrationFile> migrations = new ArrayList<>();
        for (CommitTree.File file : files) {
            if (file.name().endsWith(".sql")) {
                migrations.add(of(file.name(), file.text()));
            }
        }
        migrations.sort(Comparator.comparing(MigrationFile::fileName));
        return migrations;
    }

    /** One file by its name and text. */
    public static MigrationFile of(String fileName, String text) {
        Matcher m = NAME.matcher(fileName);
        if (!m.matches()) {
            throw new IllegalArgumentException(fileName + " does not follow YYYYMMDDHHMMSS_descriptive_name.sql");
        }
        return parse(fileName, m.group(1), m.group(2), text);
    }

    static MigrationFile parse(String fileName, String version, String name, String text) {
        List<String> up = new ArrayList<>();
        List<String> downSection = new ArrayList<>();
        boolean inDown = false;
        for (String line : text.split("\\R", -1)) {
            if (!inDown && DOWN_MARKER.matcher(line).matches() && line.toUpperCase(Locale.ROOT).contains("MIGRATION")) {
                inDown = true;
                continue;
            }
            if (inDown) {
                downSection.add(line);
            } else if (!TX_CONTROL.matcher(line).matches()) {
                up.add(line);
            }
        }
        CRC32 crc = new CRC32();
        crc.update(text.getBytes(StandardCharsets.UTF_8));
        return new MigrationFile(fileName, version, name.replace('_', ' '), String.join("\n", up).strip(), down(downSection),
                (int) crc.getValue());
    }

    /** The DOWN section's SQL, uncommented, without transaction control and decoration lines. */
    private static Optional<String> down(List<String> section) {
        List<String> sql = new ArrayList<>();
        for (String line : section) {
            String uncommented = line.strip().startsWith("--") ? line.strip().substring(2).strip() : line.strip();
            if (uncommented.isEmpty() || DECORATION.matcher(uncommented).matches() || TX_CONTROL.matcher(uncommented).matches()) {
                continue;
            }
            sql.add(uncommented);
        }
        return sql.isEmpty() ? Optional.empty() : Optional.of(String.join("\n", sql));
    }
}
