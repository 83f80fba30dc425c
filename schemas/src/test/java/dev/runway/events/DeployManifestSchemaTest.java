package dev.runway.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.PathType;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;

/**
 * The deploy-manifest JSON Schema against its fixtures: the SOP example and Runway's extensions
 * validate cleanly; every invalid fixture fails at the place its name says, and nowhere else.
 */
class DeployManifestSchemaTest {

    static final String SCHEMA = "runway/deploy-manifest.schema.json";

    /**
     * Invalid fixture -> what must be reported: keyword, JSON Pointer of the offending value, and a
     * word the message must contain (the key for required/additionalProperties). A fixture without
     * a row here fails the suite, so every new fixture states what it is about.
     */
    static final Map<String, Expect> INVALID = Map.ofEntries(
            expect("missing-project-name", "required", "/project", "name"),
            expect("missing-components", "required", "", "components"),
            expect("project-name-not-dns-label", "pattern", "/project/name", null),
            expect("version-as-number", "type", "/version", "string"),
            expect("unknown-top-level-key", "additionalProperties", "", "deploy_strategy"),
            expect("unknown-strategy", "enum", "/deployment/strategy", null),
            expect("port-as-string", "type", "/components/api/port", "integer"),
            expect("port-out-of-range", "maximum", "/components/api/port", "65535"),
            expect("healthcheck-without-slash", "pattern", "/components/api/healthcheck", null),
            expect("replicas-outside-deploy", "additionalProperties", "/components/api", "replicas"),
            expect("negative-replicas", "minimum", "/components/api/deploy/replicas", null),
            expect("bad-cpu-quantity", "pattern", "/components/api/deploy/resources/cpu", null),
            expect("bad-memory-quantity", "pattern", "/components/api/deploy/resources/memory", null),
            expect("unknown-database-type", "enum", "/database/type", "postgresql"),
            expect("unknown-migration-tool", "enum", "/database/migrations/tool", "prisma"),
            expect("zero-backup-retention", "minimum", "/database/backup/retention", null),
            expect("migrations-path-escapes-repository", "pattern", "/database/migrations/path", null),
            expect("migrations-path-absolute", "pattern", "/database/migrations/path", null),
            expect("bad-env-var-name", "pattern", "/environment/required/0", null),
            expect("unknown-environment-in-approvals", "additionalProperties", "/deployment/approvals", "qa"),
            expect("approval-required-not-boolean", "type", "/deployment/approval_required/production", "boolean"),
            expect("unknown-target", "enum", "/deployment/targets/production", null),
            expect("bad-window-time", "pattern", "/deployment/window/production/start", null),
            expect("unknown-window-day", "enum", "/deployment/window/production/days/0", null),
            expect("canary-step-over-100", "maximum", "/deployment/canary/steps/2", null),
            expect("canary-steps-without-100", "minContains", "/deployment/canary/steps", "100"),
            expect("canary-pause-over-a-day", "maximum", "/deployment/canary/pause_seconds", "86400"),
            expect("zero-monitoring-window", "minimum", "/deployment/monitoring_window_seconds", "1"),
            expect("replicas-past-int-range", "maximum", "/components/api/deploy/replicas", "1000"),
            expect("sustained-over-a-day", "maximum", "/rollback/threshold/sustained_seconds", "86400"),
            expect("too-many-approvals", "maximum", "/deployment/approvals/production", "10"),
            expect("window-timezone-too-long", "maxLength", "/deployment/window/production/timezone", "64"),
            expect("slack-without-hash", "pattern", "/deployment/notifications/slack", null),
            expect("bad-notification-email", "format", "/deployment/notifications/email/0", "email"),
            expect("error-rate-over-100", "maximum", "/rollback/threshold/error_rate", "100"),
            expect("zero-latency-p99", "exclusiveMinimum", "/rollback/threshold/latency_p99", null),
            expect("component-path-with-dotdot", "pattern", "/components/api/path", null),
            expect("dockerfile-absolute-path", "pattern", "/components/api/dockerfile", null),
            expect("component-path-too-long", "maxLength", "/components/api/path", "255"));

    record Expect(String keyword, String location, String mentions) {
    }

    static Map.Entry<String, Expect> expect(String fixture, String keyword, String location, String mentions) {
        return Map.entry(fixture, new Expect(keyword, location, mentions));
    }

    static final YAMLMapper YAML = new YAMLMapper();
    static JsonSchema schema;

    @BeforeAll
    static void loadSchema() throws IOException {
        // 2020-12 treats `format` as an annotation unless asked; the manifest relies on email/uri checks.
        // JSON Pointer locations ("/components/api/port") are what the validator service will show.
        SchemaValidatorsConfig config = SchemaValidatorsConfig.builder()
                .formatAssertionsEnabled(true)
                .pathType(PathType.JSON_POINTER)
                .build();
        try (InputStream in = resource(SCHEMA)) {
            schema = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012).getSchema(in, config);
        }
    }

    @TestFactory
    Stream<DynamicTest> validFixturesHaveNoErrors() {
        List<Path> fixtures = fixtures("valid");
        assertTrue(fixtures.stream().map(DeployManifestSchemaTest::name).collect(Collectors.toSet())
                .containsAll(Set.of("seed-example", "minimal", "host-canary")), "valid fixtures: " + fixtures);
        return fixtures.stream().map(f -> DynamicTest.dynamicTest(name(f), () -> {
            Set<ValidationMessage> errors = schema.validate(read(f));
            assertTrue(errors.isEmpty(), () -> name(f) + " should be valid but: " + describe(errors));
        }));
    }

    @TestFactory
    Stream<DynamicTest> invalidFixturesFailAtTheNamedPath() {
        return fixtures("invalid").stream().map(f -> DynamicTest.dynamicTest(name(f), () -> {
            Expect expected = INVALID.get(name(f));
            assertNotNull(expected, "no expectation for invalid fixture " + name(f) + "; add a row to INVALID");
            Set<ValidationMessage> errors = schema.validate(read(f));
            assertFalse(errors.isEmpty(), name(f) + " should be invalid");
            boolean named = errors.stream().anyMatch(m -> m.getType().equals(expected.keyword())
                    && location(m).equals(expected.location())
                    && (expected.mentions() == null || m.getMessage().contains(expected.mentions())));
            assertTrue(named, () -> name(f) + ": expected " + expected + " but got " + describe(errors));
            // One defect per fixture: nothing outside the named place is reported.
            assertTrue(errors.stream().allMatch(m -> location(m).startsWith(expected.location())),
                    () -> name(f) + ": errors outside " + expected.location() + ": " + describe(errors));
        }));
    }

    @Test
    void everyExpectationHasAFixtureAndThereAreEnough() {
        Set<String> files = fixtures("invalid").stream().map(DeployManifestSchemaTest::name)
                .collect(Collectors.toCollection(TreeSet::new));
        assertEquals(new TreeSet<>(INVALID.keySet()), files, "INVALID table and invalid/ fixtures differ");
        assertTrue(files.size() >= 8, "at least 8 invalid fixtures");
    }

    @Test
    void schemaIsAValid202012Schema() throws IOException {
        JsonSchemaFactory factory = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012);
        // The meta-schema ships inside the validator jar: no network.
        JsonSchema meta = factory.getSchema(SchemaLocation.of("https://json-schema.org/draft/2020-12/schema"));
        JsonNode schemaJson;
        try (InputStream in = resource(SCHEMA)) {
            schemaJson = new ObjectMapper().readTree(in);
        }
        Set<ValidationMessage> errors = meta.validate(schemaJson);
        assertTrue(errors.isEmpty(), () -> describe(errors));
        assertEquals("https://json-schema.org/draft/2020-12/schema", schemaJson.path("$schema").asText());
        assertFalse(schemaJson.path("$id").asText().isEmpty(), "$id");
    }

    @Test
    void topLevelSectionsCarryTitleAndDescription() throws IOException {
        // Titles and descriptions become the validator's human error messages.
        JsonNode root;
        try (InputStream in = resource(SCHEMA)) {
            root = new ObjectMapper().readTree(in);
        }
        root.path("properties").properties().forEach(e -> {
            JsonNode property = e.getValue();
            JsonNode target = property.has("$ref")
                    ? root.at(property.get("$ref").asText().substring(1))
                    : property;
            boolean titled = property.has("title") || target.has("title");
            boolean described = property.has("description") || target.has("description");
            assertTrue(titled && described, e.getKey() + " needs a title and a description");
        });
    }

    static String location(ValidationMessage m) {
        return m.getInstanceLocation().toString();
    }

    static String describe(Set<ValidationMessage> errors) {
        return errors.stream().map(m -> m.getType() + " @" + location(m) + ": " + m.getMessage())
                .collect(Collectors.joining("; "));
    }

    static JsonNode read(Path file) throws IOException {
        return YAML.readTree(file.toFile());
    }

    static String name(Path file) {
        return file.getFileName().toString().replaceFirst("\\.ya?ml$", "");
    }

    static List<Path> fixtures(String kind) {
        try {
            Path dir = Path.of(DeployManifestSchemaTest.class.getClassLoader().getResource("manifests/" + kind).toURI());
            try (Stream<Path> files = Files.list(dir)) {
                List<Path> list = files.filter(p -> p.toString().matches(".*\\.ya?ml$")).sorted().toList();
                assertFalse(list.isEmpty(), "no fixtures in manifests/" + kind);
                return list;
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    static InputStream resource(String name) {
        InputStream in = DeployManifestSchemaTest.class.getClassLoader().getResourceAsStream(name);
        assertNotNull(in, name + " is missing");
        return in;
    }
}
