package dev.runway.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

import org.apache.avro.Schema;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Rules of the Avro contract that the generator does not enforce: the envelope comes first,
 * commands carry step/fencing/dry-run, replies echo the step, optional fields evolve safely, and
 * records survive the wire (logical types included).
 */
class AvroContractTest {

    static final String NAMESPACE = "dev.runway.events";
    static final ObjectMapper JSON = new ObjectMapper();

    /** Nanoseconds on purpose: the header keeps milliseconds, and a round trip must still compare equal. */
    static final Clock CLOCK = Clock.fixed(Instant.parse("2026-03-02T10:15:30.123456789Z"), ZoneOffset.UTC);

    @Test
    void everyRecordOutsideCommonStartsWithTheEventHeader() {
        Map<String, JsonNode> records = avsc(TopicsTest.RECORD_FOLDERS);
        assertFalse(records.isEmpty());
        records.forEach((file, schema) -> {
            assertEquals("record", schema.path("type").asText(), file);
            assertEquals(NAMESPACE, schema.path("namespace").asText(), file + " namespace");
            assertTrue(file.endsWith("/" + schema.path("name").asText() + ".avsc"), file + ": file name = record name");
            JsonNode first = schema.path("fields").path(0);
            assertEquals("header", first.path("name").asText(), file + ": first field must be `header`");
            String type = first.path("type").asText();
            assertTrue(type.equals("EventHeader") || type.equals(NAMESPACE + ".EventHeader"),
                    file + ": header must be of type EventHeader, not " + first.path("type"));
            // The generated class must agree (imports resolved to the one shared EventHeader).
            Schema generated = SpecificData.get().getSchema(TopicsTest.generated(schema.path("name").asText()));
            assertEquals(EventHeader.getClassSchema(), generated.getFields().get(0).schema(), file);
        });
    }

    @Test
    void executorCommandsCarryStepFencingAndDryRunAndTravelOnTheCommandTopic() {
        Map<String, Schema> executor = generatedSchemas("executor");
        Set<String> commands = new TreeSet<>();
        Set<String> replies = new TreeSet<>();
        executor.forEach((name, schema) -> {
            if (schema.getField("fencingToken") != null) {
                commands.add(name);
                assertEquals(Schema.Type.LONG, schema.getField("fencingToken").schema().getType(), name + ".fencingToken");
                assertField(schema, "step", Schema.Type.STRING);
                Schema.Field dryRun = assertField(schema, "dryRun", Schema.Type.BOOLEAN);
                // A default keeps the field addable and makes "forgot to say" mean "really do it".
                assertEquals(Boolean.FALSE, dryRun.defaultVal(), name + ".dryRun default");
            } else {
                replies.add(name);
                // The orchestrator matches a reply to its saga step by this echo.
                assertField(schema, "step", Schema.Type.STRING);
            }
        });
        assertFalse(commands.isEmpty());
        assertFalse(replies.isEmpty());
        assertEquals(commands, new TreeSet<>(records(Topics.EXECUTOR_COMMANDS)), "commands vs " + Topics.EXECUTOR_COMMANDS);
        assertEquals(replies, new TreeSet<>(records(Topics.EXECUTOR_RESULTS)), "replies vs " + Topics.EXECUTOR_RESULTS);
    }

    @Test
    void optionalFieldsAreNullFirstWithNullDefault() {
        // Under the registry's BACKWARD rule a field can only be added if it has a default; for
        // optional values that default is null, which Avro only accepts when null is the first branch.
        List<String> wrong = new ArrayList<>();
        Map<String, JsonNode> all = avsc(List.of("common", "lifecycle", "validation", "executor", "health"));
        all.forEach((file, schema) -> schema.path("fields").forEach(field -> {
            JsonNode type = field.path("type");
            if (type.isArray() && containsNull(type)) {
                boolean ok = "null".equals(type.path(0).asText()) && field.has("default") && field.get("default").isNull();
                if (!ok) {
                    wrong.add(file + "#" + field.path("name").asText());
                }
            }
        }));
        assertTrue(wrong.isEmpty(), "nullable fields without null-first/default null: " + wrong);
    }

    @Test
    void theRegisteredFormIsSelfContained() {
        // dereference-schema=true registers SCHEMA$.toString(): it must parse on its own, with no
        // imports, into the same schema (this is what outside Confluent-format readers fetch).
        for (Topics.TopicSpec topic : Topics.all()) {
            for (String name : topic.records()) {
                Schema schema = SpecificData.get().getSchema(TopicsTest.generated(name));
                Schema reparsed = new Schema.Parser().parse(schema.toString());
                assertEquals(schema, reparsed, name);
            }
        }
    }

    @Test
    void deployRequestedRoundTrips() {
        EventHeader header = Envelopes.first("d-1", Environment.PRODUCTION, "ledger", CLOCK);
        DeployRequested request = DeployRequested.newBuilder()
                .setHeader(header)
                .setVersion("2.4.0")
                .setComponents(List.of("api", "worker"))
                .setStrategy(Strategy.CANARY)
                .setRequestedBy("alice")
                .setManifest("version: \"1.0\"\n")
                .setRepository(RepositoryRef.newBuilder().setUrl("https://git.example.com/ledger.git")
                        .setCommit("0123456789abcdef0123456789abcdef01234567").setRef("main").build())
                .build();
        assertFalse(request.getDryRun(), "dryRun defaults to false");
        assertNotNull(header.getCorrelationId());
        assertEquals(header.getEventId(), header.getCorrelationId(), "the first record correlates to itself");
        // timestamp-millis: the header holds the clock's instant truncated to milliseconds.
        assertEquals(Instant.parse("2026-03-02T10:15:30.123Z"), header.getOccurredAt());

        DeployRequested copy = roundTrip(request);
        assertEquals(request, copy);
        assertEquals(Instant.parse("2026-03-02T10:15:30.123Z"), copy.getHeader().getOccurredAt());
    }

    @Test
    void deployGreenRoundTrips() {
        EventHeader cause = Envelopes.first("d-2", Environment.STAGING, "ledger", CLOCK);
        EventHeader header = Envelopes.causedBy(cause, Clock.offset(CLOCK, Duration.ofSeconds(5)));
        assertEquals(cause.getEventId(), header.getCausationId());
        assertEquals(cause.getCorrelationId(), header.getCorrelationId());
        DeployGreen command = DeployGreen.newBuilder()
                .setHeader(header)
                .setStep("deploy-green")
                .setFencingToken(42L)
                .setDryRun(true)
                .setVersion("2.4.0")
                .setTarget(TargetKind.HOST)
                .setStrategy(Strategy.BLUE_GREEN)
                .setComponents(List.of(
                        ComponentSpec.newBuilder().setName("api").setArtifact("java -jar api.jar").setPort(8080)
                                .setHealthcheck("/health").setCpu("500m").setMemory("512Mi").build(),
                        ComponentSpec.newBuilder().setName("worker").setImage("registry/worker:2.4.0").build()))
                .build();
        assertEquals(1, command.getComponents().get(1).getReplicas(), "replicas defaults to 1");
        assertEquals(command, roundTrip(command));
    }

    @Test
    void thresholdBreachedRoundTripsWithTimestampedSamples() {
        ThresholdBreached breach = ThresholdBreached.newBuilder()
                .setHeader(Envelopes.first("d-3", Environment.PRODUCTION, "ledger", CLOCK))
                .setWatchId("w-1")
                .setStep("shift-traffic-25")
                .setMetric("error_rate")
                .setValue(7.5)
                .setThreshold(5.0)
                .setWindowSeconds(120)
                .setSource("http://prometheus:9090/api/v1/query?query=...")
                .setSamples(List.of(
                        Sample.newBuilder().setAt(Instant.parse("2026-03-02T10:14:00.001Z")).setValue(6.0).build(),
                        Sample.newBuilder().setAt(Instant.parse("2026-03-02T10:15:00.002Z")).setValue(Double.NaN).build()))
                .setPriority(IncidentPriority.P1)
                .build();
        ThresholdBreached copy = roundTrip(breach);
        assertEquals(Instant.parse("2026-03-02T10:15:00.002Z"), copy.getSamples().get(1).getAt());
        // "NaN when no data" survives the wire, but Avro's record equality treats NaN as unequal to
        // itself: compare the NaN sample by hand and the rest of the record with equals.
        assertTrue(Double.isNaN(copy.getSamples().get(1).getValue()));
        breach.getSamples().get(1).setValue(0.0);
        copy.getSamples().get(1).setValue(0.0);
        assertEquals(breach, copy);
    }

    @Test
    void validationFailedAndStartWatchRoundTrip() {
        EventHeader header = Envelopes.first("d-4", Environment.UAT, "ledger", CLOCK);
        ValidationFailed failed = ValidationFailed.newBuilder()
                .setHeader(header)
                .setReason("1 error")
                .setReport(ValidationReport.newBuilder()
                        .setOutcome(ValidationOutcome.FAILED).setErrors(1).setWarnings(0).setDurationMs(1200)
                        .setChecks(List.of(CheckResult.newBuilder().setRuleId("manifest.schema").setPhase(2)
                                .setPhaseName("manifest").setSeverity(Severity.ERROR).setStatus(CheckStatus.FAILED)
                                .setFile("deploy.manifest.yaml").setMessage("/components/api/port: string found")
                                .build()))
                        .build())
                .build();
        assertEquals(failed, roundTrip(failed));

        StartWatch watch = StartWatch.newBuilder()
                .setHeader(header)
                .setWatchId("w-2")
                .setStep("verify-green")
                .setVersion("2.4.0")
                .setPhase(WatchPhase.VERIFY_GREEN)
                .setTrafficPercent(0)
                .setWindowSeconds(300)
                .setThresholds(Thresholds.newBuilder().setErrorRatePercent(5.0).setLatencyP99Ms(2000.0)
                        .setSustainedSeconds(120).build())
                .setTargets(List.of(WatchTarget.newBuilder().setComponent("api")
                        .setHealthUrl("http://127.0.0.1:8081/health").build()))
                .build();
        assertEquals(watch, roundTrip(watch));
    }

    /** Binary encode and decode with the class's own model, which carries its logical-type conversions. */
    @SuppressWarnings("unchecked")
    static <T extends SpecificRecord> T roundTrip(T record) {
        Class<T> type = (Class<T>) record.getClass();
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(bytes, null);
            new SpecificDatumWriter<>(type).write(record, encoder);
            encoder.flush();
            return new SpecificDatumReader<>(type).read(null, DecoderFactory.get().binaryDecoder(bytes.toByteArray(), null));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Schema.Field assertField(Schema schema, String name, Schema.Type type) {
        Schema.Field field = schema.getField(name);
        assertNotNull(field, schema.getName() + " has no `" + name + "`");
        assertEquals(type, field.schema().getType(), schema.getName() + "." + name);
        return field;
    }

    static boolean containsNull(JsonNode union) {
        for (JsonNode branch : union) {
            if ("null".equals(branch.asText())) {
                return true;
            }
        }
        return false;
    }

    static List<String> records(String topic) {
        return Topics.all().stream().filter(t -> t.name().equals(topic)).findFirst().orElseThrow().records();
    }

    /** Generated schema by simple name, for the .avsc files of one folder. */
    static Map<String, Schema> generatedSchemas(String folder) {
        Map<String, Schema> schemas = new LinkedHashMap<>();
        avsc(List.of(folder)).values().forEach(json -> {
            String name = json.path("name").asText();
            schemas.put(name, SpecificData.get().getSchema(TopicsTest.generated(name)));
        });
        return schemas;
    }

    /** Raw .avsc JSON by "folder/File.avsc", as written (before the generator resolves names). */
    static Map<String, JsonNode> avsc(List<String> folders) {
        Map<String, JsonNode> result = new LinkedHashMap<>();
        for (String folder : folders) {
            try (Stream<Path> files = Files.list(TopicsTest.avroDir().resolve(folder))) {
                for (Path p : files.filter(f -> f.toString().endsWith(".avsc")).sorted().toList()) {
                    result.put(folder + "/" + p.getFileName(), JSON.readTree(p.toFile()));
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return result;
    }
}
