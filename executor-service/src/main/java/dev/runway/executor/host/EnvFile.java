package dev.runway.executor.host;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A project's {@code config/<env>.env} as a release gets it: {@code KEY=value} lines, blank lines and
 * {@code #} comments ignored, an optional {@code export } before the key (the validator reads the
 * same form). A value is taken literally after the first {@code =}, trimmed; one pair of matching
 * surrounding quotes is removed; there is no escaping and no {@code $VAR} expansion. Anything else
 * (no {@code =}, a key that is not {@code [A-Za-z_][A-Za-z0-9_]*}, a key set twice, a NUL) is refused
 * with its line number; a value is never repeated (it may be a secret).
 */
final class EnvFile {

    static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    private EnvFile() {
    }

    static Map<String, String> parse(String fileName, String text) {
        Map<String, String> values = new LinkedHashMap<>();
        Map<String, Integer> lines = new LinkedHashMap<>();
        int number = 0;
        for (String raw : text.split("\r?\n", -1)) {
            number++;
            String line = raw.strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            if (line.indexOf('\0') >= 0) {
                throw new IllegalArgumentException(fileName + " line " + number + " contains a NUL character");
            }
            if (line.startsWith("export ")) {
                line = line.substring("export ".length()).strip();
            }
            int eq = line.indexOf('=');
            if (eq < 0) {
                throw new IllegalArgumentException(fileName + " line " + number + " is not KEY=value (no '=')");
            }
            String key = line.substring(0, eq).strip();
            if (!NAME.matcher(key).matches()) {
                throw new IllegalArgumentException(fileName + " line " + number + ": '" + abbreviate(key)
                        + "' is not a variable name ([A-Za-z_][A-Za-z0-9_]*)");
            }
            if (lines.containsKey(key)) {
                throw new IllegalArgumentException(fileName + " line " + number + ": " + key + " is already set on line " + lines.get(key));
            }
            String value = line.substring(eq + 1).strip();
            if (value.length() >= 2 && (value.startsWith("\"") && value.endsWith("\"") || value.startsWith("'") && value.endsWith("'"))) {
                value = value.substring(1, value.length() - 1);
            }
            values.put(key, value);
            lines.put(key, number);
        }
        return values;
    }

    private static String abbreviate(String key) {
        return key.length() > 40 ? key.substring(0, 40) + "…" : key;
    }
}
