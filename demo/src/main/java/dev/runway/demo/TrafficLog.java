package dev.runway.demo;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The load generator's log ({@link Traffic}: {@code <epoch ms> <environment> <status> <release>} per answer) read
 * back: which release answered an environment's front lately, and, after a rolled-back release, how long its
 * traffic took to be back on the good one.
 */
final class TrafficLog {

    static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss.SSS").withZone(ZoneId.systemDefault());

    /** One answer; status 0 means none came. */
    record Answer(long at, String environment, int status, String release) {
        boolean error() {
            return status >= 500 || status == 0;
        }
    }

    private final List<Answer> answers;

    TrafficLog(List<Answer> answers) {
        this.answers = answers;
    }

    static TrafficLog read(Path file) throws IOException {
        try {
            return parse(Files.readAllLines(file));
        } catch (NoSuchFileException e) {
            return new TrafficLog(List.of());
        }
    }

    static TrafficLog parse(List<String> lines) {
        List<Answer> answers = new ArrayList<>();
        for (String line : lines) {
            String[] f = line.split(" ");
            if (f.length == 4 && f[0].matches("\\d+") && f[2].matches("\\d+")) {
                answers.add(new Answer(Long.parseLong(f[0]), f[1], Integer.parseInt(f[2]), f[3]));
            }
        }
        return new TrafficLog(answers);
    }

    /** "1.1.0 90%, 1.2.0 10% (60 requests, 5% errors)" over the answers since the given time, or "no traffic". */
    String since(String environment, long sinceMillis) {
        List<Answer> recent = answers.stream().filter(a -> a.environment().equals(environment) && a.at() >= sinceMillis).toList();
        if (recent.isEmpty()) {
            return "no traffic";
        }
        Map<String, Integer> byRelease = new TreeMap<>();
        recent.forEach(a -> byRelease.merge(a.release(), 1, Integer::sum));
        long errors = recent.stream().filter(Answer::error).count();
        // Most answers first ("-" is no answer at all).
        List<String> shares = byRelease.entrySet().stream()
                .sorted(Map.Entry.<String, Integer>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
                .map(e -> e.getKey() + " " + (100 * e.getValue() / recent.size()) + "%").toList();
        return String.join(", ", shares) + " (" + recent.size() + " requests, " + (100 * errors / recent.size()) + "% errors)";
    }

    /**
     * After the bad release was rolled back: what it answered, when the health-watcher decided (its newest
     * ThresholdBreached decision), when the bad release answered last, and what answered since. Empty without a breach.
     */
    Optional<List<String>> rollbackReport(String environment, String bad, String good, JsonNode decisions) {
        JsonNode breach = null;
        for (JsonNode d : decisions.path("items")) { // newest first
            if ("ThresholdBreached".equals(d.path("kind").asText())) {
                breach = d;
                break;
            }
        }
        if (breach == null) {
            return Optional.empty();
        }
        Instant decided = Instant.parse(breach.path("decidedAt").asText());
        List<Answer> here = answers.stream().filter(a -> a.environment().equals(environment)).toList();
        List<Answer> badAnswers = here.stream().filter(a -> a.release().equals(bad)).toList();
        long lastBad = badAnswers.stream().mapToLong(Answer::at).max().orElse(0);
        long badErrors = badAnswers.stream().filter(a -> a.status() >= 500).count();
        List<Answer> after = here.stream().filter(a -> a.at() > lastBad).toList();
        long goodAfter = after.stream().filter(a -> a.release().equals(good) && a.status() == 200).count();
        return Optional.of(List.of(
                String.format(Locale.ROOT, "  %s answered %d requests, %d of them with an error", bad, badAnswers.size(), badErrors),
                String.format(Locale.ROOT, "  breach decided   %s  %s %s (threshold %s) at %s", CLOCK.format(decided),
                        field(breach, "metric"), field(breach, "value"), field(breach, "threshold"), field(breach, "step")),
                String.format(Locale.ROOT, "  last %s answer %s  → traffic back on %s %.1f s after the breach", bad,
                        CLOCK.format(Instant.ofEpochMilli(lastBad)), good, (lastBad - decided.toEpochMilli()) / 1000.0),
                String.format(Locale.ROOT, "  since then       %d of %d requests answered 200 by %s", goodAfter, after.size(), good)));
    }

    /** A field as the JSON shows it: text without quotes, a number as written, "?" when absent. */
    private static String field(JsonNode node, String name) {
        JsonNode v = node.get(name);
        return v == null ? "?" : v.isTextual() ? v.asText() : v.toString();
    }
}
