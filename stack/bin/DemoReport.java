import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * After the demo's failed release: when the health-watcher decided, and when the environment's traffic
 * was back on the good release, from the decision record and the load generator's log.
 *
 * <pre>java stack/bin/DemoReport.java TRAFFIC_LOG ENVIRONMENT BAD_VERSION GOOD_VERSION DECISIONS_URL [TOKEN]</pre>
 */
public class DemoReport {
    static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss.SSS").withZone(ZoneId.systemDefault());

    public static void main(String[] args) throws Exception {
        String env = args[1], bad = args[2], good = args[3];
        // The health-watcher's decisions need a bearer token (scoped to the project) when one is given.
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(args[4]));
        if (args.length > 5) {
            request.header("Authorization", "Bearer " + args[5]);
        }
        String json = HttpClient.newHttpClient().send(request.build(),
                HttpResponse.BodyHandlers.ofString()).body();
        // Decisions come newest first; the breach is the ThresholdBreached record (no JSON library in a one-file tool).
        Matcher m = Pattern.compile("\\{[^{}]*\"kind\"\\s*:\\s*\"ThresholdBreached\"[^{}]*").matcher(json);
        if (!m.find()) {
            System.out.println("no ThresholdBreached decision found at " + args[4]);
            System.exit(1);
        }
        String breach = m.group();
        Instant decided = Instant.parse(field(breach, "decidedAt"));
        List<String[]> lines = Files.readAllLines(Path.of(args[0])).stream().map(l -> l.split(" "))
                .filter(f -> f.length == 4 && f[1].equals(env)).toList();
        long lastBad = lines.stream().filter(f -> f[3].equals(bad)).mapToLong(f -> Long.parseLong(f[0])).max().orElse(0);
        long badAnswers = lines.stream().filter(f -> f[3].equals(bad)).count();
        long badErrors = lines.stream().filter(f -> f[3].equals(bad) && Integer.parseInt(f[2]) >= 500).count();
        List<String[]> after = lines.stream().filter(f -> Long.parseLong(f[0]) > lastBad).toList();
        long goodAfter = after.stream().filter(f -> f[3].equals(good) && f[2].equals("200")).count();
        System.out.printf("  %s answered %d requests, %d of them with an error%n", bad, badAnswers, badErrors);
        System.out.printf("  breach decided   %s  %s %s (threshold %s) at %s%n", CLOCK.format(decided), field(breach, "metric"),
                field(breach, "value"), field(breach, "threshold"), field(breach, "step"));
        System.out.printf("  last %s answer %s  → traffic back on %s %.1f s after the breach%n", bad,
                CLOCK.format(Instant.ofEpochMilli(lastBad)), good, (lastBad - decided.toEpochMilli()) / 1000.0);
        System.out.printf("  since then       %d of %d requests answered 200 by %s%n", goodAfter, after.size(), good);
    }

    static String field(String object, String name) {
        Matcher m = Pattern.compile("\"" + name + "\"\\s*:\\s*(\"([^\"]*)\"|[^,}]+)").matcher(object);
        return !m.find() ? "?" : m.group(2) != null ? m.group(2) : m.group(1).trim();
    }
}
