package dev.runway.validator.rules;

import java.util.LinkedHashMap;
import java.util.Map;

/** A dotenv-style file: {@code KEY=value} lines, {@code #} comments, optional {@code export}. */
record EnvFile(Map<String, Entry> entries) {

    record Entry(String value, int line) {
    }

    static EnvFile parse(String text) {
        Map<String, Entry> entries = new LinkedHashMap<>();
        int lineNo = 0;
        for (String raw : text.split("\r?\n", -1)) {
            lineNo++;
            String line = raw.strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            if (line.startsWith("export ")) {
                line = line.substring("export ".length()).strip();
            }
            int eq = line.indexOf('=');
            if (eq <= 0) {
                continue;
            }
            String key = line.substring(0, eq).strip();
            String value = line.substring(eq + 1).strip();
            if (value.length() >= 2 && (value.startsWith("\"") && value.endsWith("\"") || value.startsWith("'") && value.endsWith("'"))) {
                value = value.substring(1, value.length() - 1);
            }
            entries.putIfAbsent(key, new Entry(value, lineNo));
        }
        return new EnvFile(entries);
    }

    boolean defines(String key) {
        return entries.containsKey(key);
    }
}
