package dev.runway.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificData;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.runway.testsupport.AvroKafka;
import dev.runway.testsupport.Backbone;
import dev.runway.testsupport.RegistryClient;
import io.apicurio.registry.resolver.ParsedSchemaImpl;
import io.apicurio.registry.resolver.strategy.ArtifactReference;
import io.apicurio.registry.serde.avro.AvroKafkaDeserializer;
import io.apicurio.registry.serde.avro.AvroKafkaSerializer;
import io.apicurio.registry.serde.avro.strategy.TopicRecordIdStrategy;
import io.apicurio.registry.serde.data.SerdeMetadata;
import io.apicurio.registry.serde.data.SerdeRecord;

/**
 * The contract against the real Apicurio Registry (the running stack, or containers): the global
 * BACKWARD rule is on, every record of the topic map registers under the artifact the services'
 * serde uses, and the rule really rejects an incompatible change. Runs repeatedly against a
 * persistent registry, so registration is idempotent and experiments use fresh artifact ids.
 */
class RegistryCompatibilityTest {

    static final ObjectMapper JSON = new ObjectMapper();
    /** Scratch group for the rule experiments; the registry does not allow deletion, so keep them apart. */
    static final String SCRATCH_GROUP = "runway.contract-tests";

    static Backbone backbone;
    static RegistryClient registry;
    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeAll
    static void connect() {
        backbone = Backbone.get();
        registry = RegistryClient.of(backbone);
    }

    @Test
    void globalCompatibilityRuleIsBackward() {
        // BACKWARD: consumers upgraded first can read what not-yet-upgraded producers still write.
        assertEquals("BACKWARD", registry.globalCompatibility());
    }

    @Test
    void everyTopicRecordRegistersUnderTheSerdesArtifactIdempotently() throws Exception {
        List<String> failures = new ArrayList<>();
        int registered = 0;
        for (Topics.TopicSpec topic : Topics.all()) {
            for (String name : topic.records()) {
                Schema schema = SpecificData.get().getSchema(TopicsTest.generated(name));
                ArtifactReference ref = serdeArtifact(topic.name(), schema);
                // Apicurio 3's TopicRecordIdStrategy: group = record namespace, artifact = <topic>-<simple name>.
                assertEquals(schema.getNamespace(), ref.getGroupId(), name);
                assertEquals(topic.name() + "-" + name, ref.getArtifactId(), name);

                String content = schema.toString(); // dereference-schema=true: the inlined schema
                HttpResponse<String> first = findOrCreate(ref.getGroupId(), ref.getArtifactId(), content);
                HttpResponse<String> again = findOrCreate(ref.getGroupId(), ref.getArtifactId(), content);
                if (first.statusCode() / 100 != 2 || again.statusCode() / 100 != 2) {
                    failures.add(ref.getArtifactId() + ": " + first.statusCode() + " " + first.body()
                            + " / again " + again.statusCode() + " " + again.body());
                    continue;
                }
                JsonNode v1 = JSON.readTree(first.body()).path("version");
                JsonNode v2 = JSON.readTree(again.body()).path("version");
                if (v1.path("globalId").asLong() != v2.path("globalId").asLong()) {
                    failures.add(ref.getArtifactId() + ": identical content created a second version");
                }
                HttpResponse<String> stored = registry.get("/groups/" + enc(ref.getGroupId()) + "/artifacts/"
                        + enc(ref.getArtifactId()) + "/versions/" + enc(v1.path("version").asText()) + "/content");
                if (stored.statusCode() != 200 || !new Schema.Parser().parse(stored.body()).equals(schema)) {
                    failures.add(ref.getArtifactId() + ": stored content differs: " + stored.statusCode());
                }
                registered++;
            }
        }
        assertTrue(failures.isEmpty(), String.join("\n", failures));
        assertTrue(registered >= Topics.all().stream().mapToInt(t -> t.records().size()).sum());
    }

    @Test
    void theServicesSerdeWritesConfluentFramingThatOutsideReadersResolve() throws Exception {
        // What a service does when it sends: AvroKafkaSerializer with the shared serde settings.
        Clock clock = Clock.fixed(Instant.parse("2026-03-02T10:15:30.123Z"), ZoneOffset.UTC);
        DeployRequested request = DeployRequested.newBuilder()
                .setHeader(Envelopes.first(UUID.randomUUID().toString(), Environment.STAGING, "ledger", clock))
                .setVersion("1.0.0").setComponents(List.of("all")).setStrategy(Strategy.BLUE_GREEN)
                .setRequestedBy("registry-test").build();
        byte[] bytes;
        try (AvroKafkaSerializer<DeployRequested> serializer = new AvroKafkaSerializer<>()) {
            serializer.configure(AvroKafka.serdeConfig(backbone), false);
            bytes = serializer.serialize(Topics.DEPLOYMENTS, request);
        }
        // Magic byte 0 and a 4-byte content id: the Confluent wire format (no Kafka headers needed).
        assertEquals(0, bytes[0], "magic byte");
        long contentId = ByteBuffer.wrap(bytes, 1, 4).getInt();

        // The serializer used the artifact the registration test computes.
        HttpResponse<String> artifact = registry.get("/groups/dev.runway.events/artifacts/"
                + enc(Topics.DEPLOYMENTS + "-DeployRequested"));
        assertEquals(200, artifact.statusCode(), artifact.body());

        // An outside Confluent-format client resolves the id through the compatibility API.
        HttpResponse<String> ccompat = HTTP.send(HttpRequest.newBuilder(
                URI.create(backbone.registryUrl() + "/apis/ccompat/v7/schemas/ids/" + contentId)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, ccompat.statusCode(), ccompat.body());
        Schema served = new Schema.Parser().parse(JSON.readTree(ccompat.body()).path("schema").asText());
        assertEquals(DeployRequested.getClassSchema(), served, "ccompat serves the inlined schema");

        // And a Runway consumer reads it back as the generated class.
        try (AvroKafkaDeserializer<Object> deserializer = new AvroKafkaDeserializer<>()) {
            deserializer.configure(AvroKafka.serdeConfig(backbone), false);
            Object back = deserializer.deserialize(Topics.DEPLOYMENTS, bytes);
            assertEquals(request, back);
        }
    }

    @Test
    void backwardRuleRejectsARequiredFieldAndAcceptsAnOptionalOne() throws Exception {
        Schema original = StepStarted.getClassSchema();
        String artifactId = "StepStarted-" + UUID.randomUUID();
        HttpResponse<String> created = registry.registerAvro(SCRATCH_GROUP, artifactId, original.toString());
        assertEquals(2, created.statusCode() / 100, created.body());

        // New readers could not fill a required field from old data: incompatible under BACKWARD.
        String incompatible = withField(original, "{\"name\":\"approver\",\"type\":\"string\"}");
        HttpResponse<String> rejected = registry.registerAvro(SCRATCH_GROUP, artifactId, incompatible);
        assertTrue(rejected.statusCode() == 409 || rejected.statusCode() == 400,
                "expected 409/400, got " + rejected.statusCode() + " " + rejected.body());
        assertTrue(rejected.body().toLowerCase().contains("compatib"), rejected.body());

        // With a default, old data reads fine: compatible.
        String compatible = withField(original,
                "{\"name\":\"approver\",\"type\":[\"null\",\"string\"],\"default\":null}");
        HttpResponse<String> accepted = registry.registerAvro(SCRATCH_GROUP, artifactId, compatible);
        assertEquals(2, accepted.statusCode() / 100, accepted.body());

        // The rejected version left no trace: the artifact has exactly the two accepted versions.
        HttpResponse<String> versions = registry.get("/groups/" + SCRATCH_GROUP + "/artifacts/" + enc(artifactId) + "/versions");
        assertEquals(2, JSON.readTree(versions.body()).path("count").asInt(), versions.body());
    }

    /**
     * Tenancy added optional fields (the client in every header, the repository on DeployGreen and
     * RollOut, the front of each released component). The registry's BACKWARD rule must accept each
     * record as it is now after its pre-tenancy shape, and records written before still decode.
     */
    @Test
    void tenancyFieldsEvolveBackwardCompatibly() throws Exception {
        for (Schema current : List.of(DeployGreen.getClassSchema(), RollOut.getClassSchema(),
                GreenDeployed.getClassSchema(), DeploymentStarted.getClassSchema())) {
            String previous = withoutFields(current, List.of("client", "repository", "front"));
            String artifactId = current.getName() + "-tenancy-" + UUID.randomUUID();
            HttpResponse<String> before = registry.registerAvro(SCRATCH_GROUP, artifactId, previous);
            assertEquals(2, before.statusCode() / 100, before.body());
            HttpResponse<String> after = registry.registerAvro(SCRATCH_GROUP, artifactId, current.toString());
            assertEquals(2, after.statusCode() / 100, current.getName() + ": " + after.body());
        }

        // A pre-tenancy DeploymentStarted, written with the old schema, reads with the new one: client is null.
        Schema old = new Schema.Parser().parse(withoutFields(DeploymentStarted.getClassSchema(), List.of("client")));
        var header = new GenericData.Record(old.getField("header").schema());
        header.put("eventId", "e-1");
        header.put("deploymentId", "d-1");
        header.put("environment", new GenericData.EnumSymbol(
                old.getField("header").schema().getField("environment").schema(), "STAGING"));
        header.put("project", "ledger");
        header.put("occurredAt", 1L);
        header.put("correlationId", "e-1");
        var started = new GenericData.Record(old);
        started.put("header", header);
        started.put("version", "1.0.0");
        started.put("strategy", new GenericData.EnumSymbol(old.getField("strategy").schema(), "CANARY"));
        started.put("components", List.of("web"));
        started.put("fencingToken", 3L);
        started.put("dryRun", false);
        var bytes = new ByteArrayOutputStream();
        var encoder = EncoderFactory.get().binaryEncoder(bytes, null);
        new GenericDatumWriter<>(old).write(started, encoder);
        encoder.flush();
        DeploymentStarted read = new SpecificDatumReader<DeploymentStarted>(old,
                DeploymentStarted.getClassSchema()).read(null,
                DecoderFactory.get().binaryDecoder(bytes.toByteArray(), null));
        assertEquals("ledger", read.getHeader().getProject());
        assertEquals(null, read.getHeader().getClient());
    }

    /** The schema with the named fields removed wherever they occur (their pre-tenancy shape). */
    static String withoutFields(Schema schema, List<String> names) throws IOException {
        JsonNode json = JSON.readTree(schema.toString());
        strip(json, names);
        return JSON.writeValueAsString(json);
    }

    private static void strip(JsonNode node, List<String> names) {
        if (node instanceof ObjectNode object) {
            if (object.get("fields") instanceof ArrayNode fields) {
                for (int i = fields.size() - 1; i >= 0; i--) {
                    if (names.contains(fields.get(i).path("name").asText())) {
                        fields.remove(i);
                    }
                }
            }
            object.elements().forEachRemaining(child -> strip(child, names));
        } else if (node instanceof ArrayNode array) {
            array.forEach(child -> strip(child, names));
        }
    }

    /** The artifact the services' serde resolves, computed by the serde's own strategy class. */
    static ArtifactReference serdeArtifact(String topic, Schema schema) {
        ParsedSchemaImpl<Schema> parsed = new ParsedSchemaImpl<Schema>()
                .setParsedSchema(schema)
                .setRawSchema(schema.toString().getBytes(StandardCharsets.UTF_8));
        return new TopicRecordIdStrategy().artifactReference(new SerdeRecord<>(new SerdeMetadata(topic, false), null), parsed);
    }

    /**
     * Registers like the serde's auto-register does (ifExists=FIND_OR_CREATE_VERSION): identical
     * content finds the existing version, new content becomes a version if the rules allow it.
     * RegistryClient#registerAvro always adds a version, which would grow every artifact per run.
     */
    static HttpResponse<String> findOrCreate(String groupId, String artifactId, String schema) throws Exception {
        ObjectNode body = JSON.createObjectNode()
                .put("artifactId", artifactId)
                .put("artifactType", "AVRO");
        body.putObject("firstVersion").putObject("content")
                .put("content", schema)
                .put("contentType", "application/json");
        HttpRequest request = HttpRequest.newBuilder(URI.create(backbone.registryApiV3() + "/groups/" + enc(groupId)
                        + "/artifacts?ifExists=FIND_OR_CREATE_VERSION"))
                .timeout(Duration.ofSeconds(15))
                .header("Content-Type", "application/json")
                .header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)))
                .build();
        return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
    }

    static String withField(Schema schema, String fieldJson) throws IOException {
        ObjectNode json = (ObjectNode) JSON.readTree(schema.toString());
        ((ArrayNode) json.get("fields")).add(JSON.readTree(fieldJson));
        return JSON.writeValueAsString(json);
    }

    static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
