package dev.runway.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServiceGroupsTest {

    static final Path ROOT = Path.of(System.getProperty("runway.root", "..")).toAbsolutePath().normalize();

    @TempDir
    Path dir;

    @Test
    void groupsAndTopicsComeFromTheIncomingKafkaChannels() throws IOException {
        Path file = write("""
                quarkus.application.name=svc
                mp.messaging.incoming."runway.a".connector=smallrye-kafka
                mp.messaging.incoming."runway.a".group.id=g1
                %test.mp.messaging.incoming."runway.a".group.id=g1-test-${quarkus.uuid}
                %test.mp.messaging.incoming."runway.only-in-tests".group.id=g-test
                mp.messaging.incoming.replies.connector=smallrye-kafka
                mp.messaging.incoming.replies.topic=runway.b
                mp.messaging.incoming.replies.group.id=g1
                mp.messaging.incoming.other.auto.offset.reset=earliest
                mp.messaging.incoming.queue.connector=smallrye-amqp
                mp.messaging.incoming.queue.group.id=not-kafka
                mp.messaging.outgoing."runway.c".connector=smallrye-kafka
                """);

        Map<String, SortedSet<String>> groups = ServiceGroups.read(file);

        // "other" has no group of its own: the application's name, like Quarkus; its topic is its channel's name.
        assertEquals(Map.of("g1", new TreeSet<>(List.of("runway.a", "runway.b")), "svc", new TreeSet<>(List.of("other"))), groups);
    }

    @Test
    void anExpressionIsRefusedRatherThanGuessed() throws IOException {
        Path file = write("""
                mp.messaging.incoming.in.connector=smallrye-kafka
                mp.messaging.incoming.in.group.id=${GROUP_ID}
                """);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> ServiceGroups.read(file));
        assertTrue(e.getMessage().contains("${GROUP_ID}"), e.getMessage());
    }

    @Test
    void aChannelWithoutAnyGroupIsRefused() throws IOException {
        Path file = write("mp.messaging.incoming.in.connector=smallrye-kafka\n");
        assertThrows(IllegalStateException.class, () -> ServiceGroups.read(file));
    }

    /** The groups the demo moves are those of the five services, on the topics the topic map says each one reads. */
    @Test
    void everyServiceReadsWhatTheTopicMapSaysItConsumes() throws IOException {
        Map<String, String> consumers = new HashMap<>();
        for (String line : Files.readAllLines(ROOT.resolve("schemas/src/main/resources/runway/topics.txt"))) {
            if (!line.isBlank() && !line.startsWith("#")) {
                String[] f = line.split("\\|");
                consumers.put(f[0], f[3]);
            }
        }
        List<Path> services;
        try (Stream<Path> modules = Files.list(ROOT)) {
            services = modules.filter(m -> m.getFileName().toString().endsWith("-service")).sorted().toList();
        }
        assertFalse(services.isEmpty(), "no *-service module under " + ROOT);
        Set<String> seen = new HashSet<>();
        for (Path service : services) {
            String name = service.getFileName().toString().replace("-service", "");
            Map<String, SortedSet<String>> groups = ServiceGroups.read(service.resolve("src/main/resources/application.properties"));
            assertFalse(groups.isEmpty(), name + " consumes nothing?");
            groups.keySet().forEach(group -> assertTrue(seen.add(group), "two services share the consumer group " + group));
            groups.forEach((group, topics) -> topics.forEach(topic -> {
                assertTrue(consumers.containsKey(topic), name + " reads " + topic + ", which is not in the topic map");
                assertTrue(consumers.get(topic).contains(name), "the topic map does not list " + name + " as a consumer of " + topic);
            }));
        }
        assertEquals(seen, ServiceGroups.of(ROOT).keySet(), "the demo moves every service's groups");
    }

    private Path write(String properties) throws IOException {
        Path file = dir.resolve("application.properties");
        Files.writeString(file, properties);
        return file;
    }
}
