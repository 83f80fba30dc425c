package dev.runway.demo;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The Kafka consumer groups of the services and the topics each reads, as each service declares them in its
 * {@code src/main/resources/application.properties}: its incoming channels ({@code mp.messaging.incoming.<channel>.*},
 * on the {@code smallrye-kafka} connector), each channel's {@code group.id} and its {@code topic} (by default the
 * channel's name). Profiled keys ({@code %test.}, {@code %dev.}) are left out: the demo runs the prod profile.
 */
final class ServiceGroups {

    static final String PREFIX = "mp.messaging.incoming.";
    /** {@code mp.messaging.incoming."runway.executor.commands".group.id} or {@code mp.messaging.incoming.orders.topic}. */
    static final Pattern CHANNEL = Pattern.compile(Pattern.quote(PREFIX) + "(\"[^\"]+\"|[^.\"]+)\\..+");

    private ServiceGroups() {
    }

    /** Group id → topics, over every {@code *-service} module under the repository's root. */
    static Map<String, SortedSet<String>> of(Path root) throws IOException {
        List<Path> files;
        try (Stream<Path> modules = Files.list(root)) {
            files = modules.filter(m -> m.getFileName().toString().endsWith("-service"))
                    .map(m -> m.resolve("src/main/resources/application.properties")).filter(Files::isRegularFile).sorted().toList();
        }
        Map<String, SortedSet<String>> groups = new TreeMap<>();
        for (Path file : files) {
            read(file).forEach((group, topics) -> groups.computeIfAbsent(group, g -> new TreeSet<>()).addAll(topics));
        }
        return groups;
    }

    /** Group id → topics of one service's configuration. */
    static Map<String, SortedSet<String>> read(Path file) throws IOException {
        Properties p = new Properties();
        try (Reader in = Files.newBufferedReader(file)) {
            p.load(in);
        }
        SortedSet<String> channels = new TreeSet<>();
        for (String key : p.stringPropertyNames()) {
            Matcher m = CHANNEL.matcher(key);
            if (m.matches()) {
                channels.add(m.group(1));
            }
        }
        Map<String, SortedSet<String>> groups = new TreeMap<>();
        for (String quoted : channels) {
            String attribute = PREFIX + quoted + ".";
            // Without a connector Quarkus attaches the only one there is; another connector is not Kafka.
            if (!"smallrye-kafka".equals(p.getProperty(attribute + "connector", "smallrye-kafka").strip())) {
                continue;
            }
            String channel = quoted.startsWith("\"") ? quoted.substring(1, quoted.length() - 1) : quoted;
            // The fallbacks SmallRye and Quarkus apply: the channel's group.id, the connector's, kafka.*, the application's name.
            String group = first(p, attribute + "group.id", "mp.messaging.connector.smallrye-kafka.group.id", "kafka.group.id",
                    "quarkus.application.name");
            if (group == null) {
                throw new IllegalStateException(file + ": channel " + channel + " names no consumer group (" + attribute + "group.id)");
            }
            if (Boolean.parseBoolean(p.getProperty(attribute + "pattern", "false"))) {
                throw new IllegalStateException(file + ": channel " + channel + " subscribes to a pattern; the demo needs topic names");
            }
            List<String> topics = new ArrayList<>();
            String listed = first(p, attribute + "topics", attribute + "topic");
            if (listed == null) {
                topics.add(channel);
            } else {
                Arrays.stream(listed.split(",")).map(String::strip).filter(t -> !t.isEmpty()).forEach(topics::add);
            }
            for (String value : topics) {
                literal(file, value);
            }
            groups.computeIfAbsent(literal(file, group), g -> new TreeSet<>()).addAll(topics);
        }
        return groups;
    }

    private static String first(Properties p, String... keys) {
        for (String key : keys) {
            String value = p.getProperty(key);
            if (value != null && !value.isBlank()) {
                return value.strip();
            }
        }
        return null;
    }

    /** An expression (${...}) would be resolved by the service at run time, from its environment; the demo cannot guess it. */
    private static String literal(Path file, String value) {
        if (value.contains("${")) {
            throw new IllegalStateException(file + ": '" + value + "' is an expression; the demo needs literal group ids and topics");
        }
        return value;
    }
}
