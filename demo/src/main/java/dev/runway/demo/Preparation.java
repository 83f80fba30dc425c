package dev.runway.demo;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.stream.Stream;

import org.apache.kafka.common.TopicPartition;

/**
 * {@code prepare}: the demo starts from an empty Runway, with the services stopped. Their own databases (not the
 * {@code *_test} ones, not the registry's), their Redis locks and a fresh client database per project environment;
 * their consumer groups at the end of their topics (records left there by earlier runs or by the test suite, which
 * shares the local broker, are not theirs to replay); the example projects as fresh git repositories.
 */
final class Preparation {

    /** Every key Runway keeps in Redis (locks, fencing counters, queues) starts with it. */
    static final String REDIS_KEYS = "runway:*";

    private final Settings settings;

    Preparation(Settings settings) {
        this.settings = settings;
    }

    /** Resets everything; the services' demo environment, one {@code NAME=value} per word, for {@code ./runway} to start them with. */
    String run() throws Exception {
        Path demo = settings.demoDir();
        deleteRecursively(demo);
        Files.createDirectories(demo);
        for (String project : DemoProjects.of(settings.scenario())) {
            DemoRepository.create(settings.root().resolve("examples"), project, demo.resolve(project));
        }

        List<String> databases = new ArrayList<>(settings.databases());
        databases.addAll(DemoProjects.databases(settings.scenario()));
        new Databases(settings).recreate(databases);
        int keys = RedisKeys.delete(settings.redis(), REDIS_KEYS);

        Map<String, SortedSet<String>> groups = ServiceGroups.of(settings.root());
        if (groups.isEmpty()) {
            throw Console.die("no consumer group found in the services' application.properties under " + settings.root());
        }
        Map<String, Map<TopicPartition, Long>> moved = ConsumerGroups.moveToEnd(settings.kafka(), groups);

        List<String> log = new ArrayList<>();
        log.add(Instant.now() + " prepare: recreated " + databases + "; deleted " + keys + " Redis keys " + REDIS_KEYS);
        groups.forEach((group, topics) -> {
            Map<String, Long> offsets = new TreeMap<>();
            moved.get(group).forEach((partition, offset) -> offsets.put(partition.toString(), offset));
            log.add(Instant.now() + " prepare: group " + group + " at the end of " + topics + ": " + offsets);
        });
        Files.createDirectories(settings.logsDir());
        Files.write(settings.logsDir().resolve("demo.log"), log, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        return String.join(" ", DemoProjects.serviceEnvironment(settings));
    }

    static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
