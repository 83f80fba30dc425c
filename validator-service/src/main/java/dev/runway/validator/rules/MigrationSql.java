package dev.runway.validator.rules;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads migration SQL for the changes that can break the version still serving (004): pure text
 * work, no files. Whether a drop is safe depends on the code, which {@link MigrationRules} asks.
 */
final class MigrationSql {

    private static final Pattern RENAME = Pattern.compile("(?is)\\bALTER\\s+TABLE\\b[^;]*?\\bRENAME\\s+(?!CONSTRAINT\\b)(COLUMN\\s+|TO\\b)?");
    private static final Pattern TYPE_CHANGE = Pattern.compile("(?is)\\bALTER\\s+(?:COLUMN\\s+)?\"?\\w+\"?\\s+(?:SET\\s+DATA\\s+)?TYPE\\b");
    private static final Pattern SET_NOT_NULL = Pattern.compile("(?is)\\bALTER\\s+(?:COLUMN\\s+)?\"?(\\w+)\"?\\s+SET\\s+NOT\\s+NULL\\b");
    private static final Pattern ADD_COLUMN = Pattern.compile(
            "(?is)\\bADD\\s+(?:COLUMN\\s+)?(?:IF\\s+NOT\\s+EXISTS\\s+)?\"?(\\w+)\"?(.*?)(?=,\\s*(?:ADD|DROP|ALTER|RENAME)\\b|$)");
    private static final Pattern DROP_COLUMN = Pattern.compile(
            "(?is)\\bDROP\\s+(?!CONSTRAINT\\b|DEFAULT\\b|NOT\\b|INDEX\\b|IDENTITY\\b|EXPRESSION\\b|TABLE\\b|VIEW\\b|SCHEMA\\b|TRIGGER\\b|FUNCTION\\b|TYPE\\b|SEQUENCE\\b|EXTENSION\\b)(?:COLUMN\\s+)?(?:IF\\s+EXISTS\\s+)?\"?(\\w+)\"?");
    private static final Pattern DROP_TABLE = Pattern.compile("(?is)\\bDROP\\s+TABLE\\s+(?:IF\\s+EXISTS\\s+)?([\\w.\",\\s]+?)(?:\\s+CASCADE|\\s+RESTRICT)?\\s*$");

    /** A column or table a statement drops. */
    record Drop(String kind, String name) {
    }

    /** What one statement does that the running version may not survive: always-breaking changes, and drops to look up. */
    record Findings(List<String> issues, List<Drop> drops) {
    }

    private MigrationSql() {
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

    /** Renames, type changes, {@code SET NOT NULL}, NOT NULL columns without a default, and the drops of one statement. */
    static Findings inspect(String statement) {
        List<String> issues = new ArrayList<>();
        List<Drop> drops = new ArrayList<>();
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
                drops.add(new Drop("column", drop.group(1)));
            }
        }
        Matcher dropTable = DROP_TABLE.matcher(statement);
        if (dropTable.find()) {
            for (String t : dropTable.group(1).split(",")) {
                String table = t.strip().replace("\"", "");
                table = table.substring(table.lastIndexOf('.') + 1);
                if (!table.isEmpty()) {
                    drops.add(new Drop("table", table));
                }
            }
        }
        return new Findings(issues, drops);
    }
}
