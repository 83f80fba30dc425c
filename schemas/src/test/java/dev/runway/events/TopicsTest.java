package dev.runway.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.Test;

import dev.runway.events.Topics.TopicSpec;

/**
 * Keeps {@link Topics}, {@code runway/topics.txt} and the .avsc files in step: services use the
 * constants, {@code ./runway stack up} creates topics from the map, the registry test registers
 * what the map lists.
 */
class TopicsTest {

    /** Folders of records that travel on topics; {@code common/} holds shared types only. */
    static final List<String> RECORD_FOLDERS = List.of("lifecycle", "validation", "executor", "health");

    static final List<TopicSpec> MAP = Topics.all();
    static final Map<String, TopicSpec> BY_NAME = MAP.stream()
            .collect(Collectors.toMap(TopicSpec::name, Function.identity()));

    @Test
    void topicNamesAreUniqueAndWellFormed() {
        assertEquals(MAP.size(), BY_NAME.size(), "a topic is listed twice");
        for (TopicSpec t : MAP) {
            assertTrue(t.name().matches("runway(\\.[a-z][a-z-]*)+"), "topic name " + t.name());
            assertTrue(t.partitions() > 0, t.name() + " partitions");
            assertFalse(t.producers().isBlank(), t.name() + " producers");
            assertFalse(t.consumers().isBlank(), t.name() + " consumers");
        }
    }

    @Test
    void everyConstantIsATopicOfTheMapAndEveryTopicHasAConstant() {
        Set<String> constants = topicConstants();
        Set<String> mapped = MAP.stream().filter(t -> !t.isDeadLetter()).map(TopicSpec::name)
                .collect(Collectors.toCollection(TreeSet::new));
        for (String constant : constants) {
            assertTrue(BY_NAME.containsKey(constant), "Topics constant " + constant + " is not in topics.txt");
        }
        assertEquals(mapped, constants, "non-DLQ topics of topics.txt vs Topics constants");
    }

    @Test
    void deadLettersSitBesideConsumedTopics() {
        for (TopicSpec t : MAP) {
            if (t.isDeadLetter()) {
                String base = t.name().substring(0, t.name().length() - Topics.DLQ_SUFFIX.length());
                TopicSpec baseSpec = BY_NAME.get(base);
                assertTrue(baseSpec != null && !baseSpec.isDeadLetter(), t.name() + " has no base topic " + base);
                assertEquals(Topics.deadLetter(base), t.name());
                assertTrue(t.records().isEmpty(), t.name() + ": a DLQ carries whatever failed, it lists no record types");
                // Whoever writes a DLQ is a consumer of its base topic: it parks what it could not process.
                Set<String> baseConsumers = parties(baseSpec.consumers());
                for (String producer : parties(t.producers())) {
                    assertTrue(baseConsumers.contains(producer),
                            t.name() + " is written by " + producer + ", who does not consume " + base);
                }
            } else {
                // Every topic has a Runway service among its consumers, so every one needs a DLQ.
                assertTrue(BY_NAME.containsKey(Topics.deadLetter(t.name())), t.name() + " has no .dlq twin");
            }
        }
    }

    @Test
    void everyListedRecordIsAGeneratedClassWithAnEventHeader() {
        for (TopicSpec t : MAP) {
            if (t.isDeadLetter()) {
                continue;
            }
            assertFalse(t.records().isEmpty(), t.name() + " lists no records");
            assertEquals(t.records().size(), Set.copyOf(t.records()).size(), t.name() + " lists a record twice");
            for (String name : t.records()) {
                Class<?> type = generated(name);
                assertTrue(SpecificRecord.class.isAssignableFrom(type), name + " is not a SpecificRecord");
                Schema.Field header = SpecificData.get().getSchema(type).getField("header");
                assertTrue(header != null && header.schema().getFullName().equals(EventHeader.class.getName()),
                        name + " has no `header` field of type EventHeader");
                try {
                    assertEquals(EventHeader.class, type.getMethod("getHeader").getReturnType(), name + ".getHeader()");
                } catch (NoSuchMethodException e) {
                    fail(name + " has no getHeader()");
                }
            }
        }
    }

    @Test
    void everyRecordSchemaTravelsOnSomeTopic() {
        Set<String> onTopics = MAP.stream().flatMap(t -> t.records().stream()).collect(Collectors.toSet());
        List<String> missing = new ArrayList<>();
        for (String record : recordSchemaNames()) {
            if (!onTopics.contains(record)) {
                missing.add(record);
            }
        }
        assertTrue(missing.isEmpty(), "records on no topic of topics.txt: " + missing);
        // And the other way round: the map names nothing that has no .avsc in the record folders.
        Set<String> declared = recordSchemaNames();
        assertTrue(declared.containsAll(onTopics), "listed but not declared: "
                + onTopics.stream().filter(r -> !declared.contains(r)).toList());
    }

    /** Simple names of the record .avsc files in {@link #RECORD_FOLDERS}, from the file names. */
    static Set<String> recordSchemaNames() {
        Set<String> names = new TreeSet<>();
        for (String folder : RECORD_FOLDERS) {
            try (Stream<Path> files = Files.list(avroDir().resolve(folder))) {
                files.filter(p -> p.toString().endsWith(".avsc"))
                        .forEach(p -> names.add(p.getFileName().toString().replace(".avsc", "")));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        assertFalse(names.isEmpty(), "no .avsc found under " + avroDir());
        return names;
    }

    /** src/main/avro of this module; surefire runs in the module directory and sets basedir. */
    static Path avroDir() {
        return Path.of(System.getProperty("basedir", ".")).resolve("src/main/avro");
    }

    static Class<?> generated(String simpleName) {
        try {
            return Class.forName("dev.runway.events." + simpleName);
        } catch (ClassNotFoundException e) {
            throw new AssertionError("topics.txt lists " + simpleName + " but dev.runway.events." + simpleName
                    + " was not generated", e);
        }
    }

    static Set<String> topicConstants() {
        Set<String> values = new TreeSet<>();
        for (Field f : Topics.class.getDeclaredFields()) {
            int m = f.getModifiers();
            if (Modifier.isPublic(m) && Modifier.isStatic(m) && Modifier.isFinal(m) && f.getType() == String.class
                    && !f.getName().equals("DLQ_SUFFIX")) {
                try {
                    values.add((String) f.get(null));
                } catch (IllegalAccessException e) {
                    throw new IllegalStateException(e);
                }
            }
        }
        return values;
    }

    /** "orchestrator, notifier" -> {orchestrator, notifier}. */
    static Set<String> parties(String column) {
        return Arrays.stream(column.split(",")).map(String::trim).filter(s -> !s.isEmpty())
                .collect(Collectors.toSet());
    }
}
