package dev.runway.cli.deploy;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.runway.cli.UsageException;

/** "15m", "90s", "1h30m", "500ms" or ISO-8601 "PT15M". */
public final class Durations {

    private static final Pattern PART = Pattern.compile("(\\d+)(ms|h|m|s)");

    private Durations() {
    }

    public static Duration parse(String text) {
        if (text == null || text.isBlank()) {
            throw new UsageException("a duration is required (e.g. 15m, 90s, 1h)");
        }
        String t = text.strip().toLowerCase(Locale.ROOT);
        if (t.startsWith("pt") || t.startsWith("p")) {
            try {
                return positive(Duration.parse(t.toUpperCase(Locale.ROOT)), text);
            } catch (DateTimeParseException e) {
                throw new UsageException("'" + text + "' is not a duration (e.g. 15m, 90s, 1h)");
            }
        }
        if (t.chars().allMatch(Character::isDigit)) {
            return positive(Duration.ofSeconds(Long.parseLong(t)), text);
        }
        Matcher m = PART.matcher(t);
        Duration total = Duration.ZERO;
        int end = 0;
        while (m.find()) {
            if (m.start() != end) {
                break;
            }
            long n = Long.parseLong(m.group(1));
            total = total.plus(switch (m.group(2)) {
                case "h" -> Duration.ofHours(n);
                case "m" -> Duration.ofMinutes(n);
                case "s" -> Duration.ofSeconds(n);
                default -> Duration.ofMillis(n);
            });
            end = m.end();
        }
        if (end != t.length() || end == 0) {
            throw new UsageException("'" + text + "' is not a duration (e.g. 15m, 90s, 1h)");
        }
        return positive(total, text);
    }

    private static Duration positive(Duration d, String text) {
        if (d.isZero() || d.isNegative()) {
            throw new UsageException("'" + text + "': the duration must be positive");
        }
        return d;
    }

    /** "4.2 s", "12 s", "2 min 5 s", "1 h 3 min": how long something took or has been running. */
    public static String human(Duration d) {
        long ms = d.toMillis();
        if (ms < 10_000) {
            return String.format(Locale.ROOT, "%.1f s", ms / 1000.0);
        }
        long s = ms / 1000;
        if (s < 60) {
            return s + " s";
        }
        if (s < 3600) {
            return (s / 60) + " min " + (s % 60) + " s";
        }
        return (s / 3600) + " h " + (s % 3600 / 60) + " min";
    }
}
