package dev.runway.events;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Topic names of the Runway contract. Channel names in every service equal these topic names,
 * so a property such as {@code mp.messaging.outgoing.runway.deployments.topic} never needs to
 * exist. The documented map (partitions, producers, consumers, record types) is
 * {@code runway/topics.txt} beside the schemas; a test keeps both in step.
 */
public final class Topics {

    /** Public lifecycle topic: outside systems and the notifier subscribe here. */
    public static final String DEPLOYMENTS = "runway.deployments";
    public static final String VALIDATION_REQUESTS = "runway.validation.requests";
    public static final String VALIDATION_RESULTS = "runway.validation.results";
    public static final String EXECUTOR_COMMANDS = "runway.executor.commands";
    public static final String EXECUTOR_RESULTS = "runway.executor.results";
    public static final String HEALTH_COMMANDS = "runway.health.commands";
    public static final String HEALTH_DECISIONS = "runway.health.decisions";

    /** Suffix of the dead-letter topic that sits beside each consumed topic. */
    public static final String DLQ_SUFFIX = ".dlq";

    private static final String MAP_RESOURCE = "runway/topics.txt";

    private Topics() {
    }

    public static String deadLetter(String topic) {
        return topic + DLQ_SUFFIX;
    }

    /** One row of the topic map. */
    public record TopicSpec(String name, int partitions, String producers, String consumers, List<String> records) {
        public boolean isDeadLetter() {
            return name.endsWith(DLQ_SUFFIX);
        }
    }

    /** Every topic of the contract, as documented in {@code runway/topics.txt}. */
    public static List<TopicSpec> all() {
        InputStream in = Topics.class.getClassLoader().getResourceAsStream(MAP_RESOURCE);
        if (in == null) {
            throw new IllegalStateException(MAP_RESOURCE + " is missing from the schemas jar");
        }
        List<TopicSpec> specs = new ArrayList<>();
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                String[] cols = line.split("\\|", -1);
                if (cols.length != 5) {
                    throw new IllegalStateException("bad topic map line: " + line);
                }
                List<String> records = cols[0].endsWith(DLQ_SUFFIX)
                        ? List.of()
                        : Arrays.stream(cols[4].trim().split("\\s+")).filter(s -> !s.isEmpty()).toList();
                specs.add(new TopicSpec(cols[0].trim(), Integer.parseInt(cols[1].trim()), cols[2].trim(), cols[3].trim(), records));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return List.copyOf(specs);
    }
}
