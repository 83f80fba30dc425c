package dev.runway.manifest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

/** Every limit of the one manifest reader, each just inside and just past its edge. */
class ManifestReaderTest {

    private static final ManifestReader READER = new ManifestReader();

    private static String valid() {
        try (InputStream in = ManifestReaderTest.class.getResourceAsStream("/manifests/valid.yaml")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static JsonNode accepted(String text) {
        ManifestReader.Parsed parsed = READER.parse(text);
        assertTrue(parsed.ok(), () -> "refused: " + parsed.error());
        assertNull(parsed.error());
        return parsed.root();
    }

    private static String refused(String text) {
        ManifestReader.Parsed parsed = READER.parse(text);
        assertFalse(parsed.ok(), "accepted what it should refuse");
        assertNull(parsed.root());
        assertTrue(parsed.error().length() < 1_000, "the reason never echoes the input");
        return parsed.error();
    }

    private static void refusedFor(String text, String reason) {
        String error = refused(text);
        assertTrue(error.contains(reason), () -> "expected '" + reason + "' in: " + error);
    }

    /** {@code depth} block mappings nested under the top one. */
    private static String blockNesting(int depth) {
        StringBuilder yaml = new StringBuilder();
        for (int i = 0; i < depth; i++) {
            yaml.append("  ".repeat(i)).append('k').append(i).append(":\n");
        }
        return yaml.append("  ".repeat(depth)).append("v\n").toString();
    }

    @Test
    void shouldReadAValidManifestAndItsJsonForm() {
        JsonNode root = accepted(valid());
        assertEquals("acme-shop", root.path("project").path("name").asText());
        assertTrue(READER.check(root).ok(), () -> READER.check(root).toString());
        assertEquals(List.of(), READER.schemaErrors(root));
        JsonNode fromJson = accepted(root.toString());
        assertEquals(root, fromJson, "JSON is YAML: the same manifest as JSON text reads the same");
    }

    @Test
    void shouldRefuseAManifestLargerThanTheLimit() {
        String padded = valid() + "# " + "x".repeat(ManifestReader.MAX_BYTES - valid().length() - 3) + "\n";
        assertEquals(ManifestReader.MAX_BYTES, padded.length());
        accepted(padded);
        refusedFor(padded + "#", "larger than " + ManifestReader.MAX_BYTES);
    }

    @Test
    void shouldRefuseNestingDeeperThanTheLimit() {
        accepted(blockNesting(ManifestReader.MAX_DEPTH));
        refusedFor(blockNesting(ManifestReader.MAX_DEPTH + 1), "nesting depth");
        // The top mapping counts as one level, so MAX_DEPTH - 1 brackets fit under a key.
        accepted("a: " + "[".repeat(ManifestReader.MAX_DEPTH - 1) + "]".repeat(ManifestReader.MAX_DEPTH - 1));
        refusedFor("a: " + "[".repeat(ManifestReader.MAX_DEPTH) + "]".repeat(ManifestReader.MAX_DEPTH), "nesting depth");
        refused("a: " + "[".repeat(100_000) + "]".repeat(100_000));
        refused("a: " + "{b: ".repeat(50_000) + "}".repeat(50_000));
    }

    @Test
    void shouldRefuseStringsLongerThanTheLimit() {
        int max = ManifestReader.MAX_STRING;
        accepted("a: " + "x".repeat(max));
        refusedFor("a: " + "x".repeat(max + 1), "a value is longer than " + max);
        refusedFor("a: \"" + "x".repeat(max + 1) + "\"", "a value is longer than " + max);
        refusedFor("a:\n  - ok\n  - " + "x".repeat(max + 1), "a value is longer than " + max);
        accepted("? \"" + "k".repeat(max) + "\"\n: 1\n");
        refusedFor("? \"" + "k".repeat(max + 1) + "\"\n: 1\n", "a key is longer than " + max);
    }

    @Test
    void shouldRefuseControlCharactersInValuesAndKeys() {
        accepted("a: \"tab\\tand\\nline\\r\"\n");
        refusedFor("a: \"ac\\0me\"\n", "a value holds a control character (U+0000)");
        refusedFor("a: \"bell\\a\"\n", "a value holds a control character (U+0007)");
        refusedFor("a: [\"ok\", \"esc\\e[2J\"]\n", "a value holds a control character (U+001B)");
        refusedFor("\"k\\0\": 1\n", "a key holds a control character (U+0000)");
        refusedFor("{\"a\": \"\\u0000\"}", "a value holds a control character (U+0000)");
    }

    @Test
    void shouldNeverReadANumberLongerThanTheLimit() {
        int max = ManifestReader.MAX_NUMBER;
        assertTrue(accepted("a: " + "9".repeat(max)).path("a").isNumber());
        refusedFor("a: " + "9".repeat(max + 1), "Number value length");
        refusedFor("a: 1." + "9".repeat(max), "Number value length");
        refusedFor("a: " + "9".repeat(1_024), "Number value length");
        // Past 1,024 characters the YAML parser no longer takes a numeral for a number: it is text,
        // which the schema refuses wherever a number belongs.
        JsonNode text = accepted("a: " + "9".repeat(5_000));
        assertTrue(text.path("a").isTextual());
        String huge = valid().replace("port: 3000", "port: " + "9".repeat(5_000));
        ManifestReader.SchemaCheck check = READER.check(accepted(huge));
        assertEquals("/components/web/port", check.errors().get(0).pointer());
    }

    @Test
    void shouldRefuseAliasesNamingThem() {
        refusedFor(valid() + "x-copy: *anchor\n", "YAML aliases (*anchor) are not allowed");
        refusedFor("a: 1\nb: [*x]\n", "YAML aliases (*x) are not allowed");
    }

    @Test
    void shouldRefuseAnchorsWhereverTheyStand() {
        String reason = "YAML anchors (&x) are not allowed";
        refusedFor("a: &x 1\nb: 2\n", reason);
        refusedFor("a: &x {c: 1}\n", reason);
        refusedFor("a: &x [1]\n", reason);
        refusedFor("a: &x\n  c: 1\n", reason);
        refusedFor("a: [&x 1, 2]\n", reason);
        refusedFor("&x a: 1\n", reason);
        refusedFor("&x\na: 1\n", reason);
        refusedFor("a: 1\nb: &x 2\n", reason + " in a deploy manifest (line 2)");
        refusedFor(valid() + "x-copy: &x {a: 1}\nx-other: *x\n", reason);
        refusedFor("base: &x {a: 1}\nc:\n  <<: *x\n", reason);
        refusedFor("a: &x [*x]\n", reason);
    }

    @Test
    void shouldRefuseAnAliasBombWithoutExpandingIt() {
        StringBuilder bomb = new StringBuilder("a0: &a0 [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n");
        for (int i = 1; i < 10; i++) {
            bomb.append('a').append(i).append(": &a").append(i).append(" [");
            for (int j = 0; j < 9; j++) {
                bomb.append(j == 0 ? "" : ",").append("*a").append(i - 1);
            }
            bomb.append("]\n");
        }
        refusedFor(bomb.toString(), "YAML anchors (&a0) are not allowed");
    }

    @Test
    void shouldRefuseDuplicateKeys() {
        refusedFor(valid() + "version: \"2.0\"\n", "Duplicate field 'version'");
        refusedFor("a:\n  b: 1\n  b: 2\n", "Duplicate field 'b'");
    }

    @Test
    void shouldRefuseMoreThanOneDocument() {
        refusedFor(valid() + "---\nversion: \"2.0\"\n", "more than one YAML document");
    }

    @Test
    void shouldRefuseAnEmptyManifest() {
        refusedFor("", "manifest is empty");
        refusedFor("# only a comment\n", "manifest is empty");
        refusedFor("~\n", "manifest is empty");
    }

    @Test
    void shouldRefuseAnythingButAMappingAtTheTop() {
        refusedFor("- version: \"1.0\"\n", "must be a mapping at the top, found array");
        refusedFor("just a string", "must be a mapping at the top, found string");
        refusedFor("42", "must be a mapping at the top, found number");
    }

    @Test
    void shouldNameTheLineOfASyntaxError() {
        refusedFor("version: \"1.0\"\nproject: [unclosed", "invalid YAML");
        refusedFor("a: 1\n b: 2\n\tc: 3\n", "(line ");
        refused(new String(new byte[] { 0, 1, 2, (byte) 0xff, 0x7f, 0 }, StandardCharsets.ISO_8859_1));
    }

    @Test
    void shouldReadTypeTagsAsPlainData() {
        JsonNode root = accepted("version: !!javax.script.ScriptEngineManager [!!java.net.URLClassLoader [[!!java.net.URL [\"http://127.0.0.1:9/\"]]]]\n");
        assertTrue(root.path("version").isArray(), "a tag never makes an object of a Java class");
        assertFalse(READER.check(root).ok());
    }

    @Test
    void shouldPointAtEachValueTheSchemaRefuses() {
        JsonNode root = accepted(valid().replace("port: 3000", "port: \"abc\"").replace("strategy: \"blue-green\"", "strategy: \"big-bang\""));
        ManifestReader.SchemaCheck check = READER.check(root);
        assertEquals(List.of("/components/web/port", "/deployment/strategy"),
                check.errors().stream().map(ManifestReader.SchemaError::pointer).toList());
        assertEquals(2, check.total());
        assertTrue(check.errors().get(0).message().contains("integer"), check.errors().get(0).message());
        assertEquals(2, READER.schemaErrors(root).size());
        ManifestReader.SchemaCheck top = READER.check(accepted("a: 1\n"));
        assertTrue(top.errors().stream().anyMatch(e -> e.pointer().isEmpty() && e.message().contains("'version'")), top.toString());
    }

    /** The manifest with {@code deployment} lines (two-space indented, under {@code deployment:}) added. */
    private static JsonNode withDeployment(String lines) {
        return accepted(valid().replace("deployment:\n", "deployment:\n" + lines));
    }

    private static List<String> pointers(JsonNode root) {
        return READER.check(root).errors().stream().map(ManifestReader.SchemaError::pointer).toList();
    }

    @Test
    void shouldAcceptCanaryStepsStrictlyAscendingToOneHundred() {
        for (String steps : List.of("[100]", "[5, 25, 50, 100]", "[1, 2, 99, 100]")) {
            JsonNode root = withDeployment("  canary:\n    steps: " + steps + "\n");
            assertTrue(READER.check(root).ok(), () -> steps + ": " + READER.check(root));
            assertEquals(List.of(), READER.schemaErrors(root));
        }
    }

    @Test
    void shouldRefuseCanaryStepsOutOfOrderNamingTheStep() {
        // [100, 5] would shift traffic to 100 % twice, and compensate twice.
        JsonNode twice = withDeployment("  canary:\n    steps: [100, 5]\n");
        ManifestReader.SchemaCheck check = READER.check(twice);
        assertEquals(List.of("/deployment/canary/steps/1"), pointers(twice));
        assertTrue(check.errors().get(0).message().contains("strictly ascending and end at 100"), check.toString());
        assertEquals(List.of("/deployment/canary/steps/1: must be greater than the step before it (100): canary steps are "
                + "strictly ascending and end at 100"), READER.schemaErrors(twice));
        assertEquals(List.of("/deployment/canary/steps/2"), pointers(withDeployment("  canary:\n    steps: [10, 50, 25, 100]\n")));
        assertEquals(List.of("/deployment/canary/steps"), pointers(withDeployment("  canary:\n    steps: [5, 25, 50]\n")),
                "a canary that never reaches 100 %");
        assertEquals(List.of("/deployment/canary/steps", "/deployment/canary/steps/1"),
                pointers(withDeployment("  canary:\n    steps: [50, 50, 100]\n")), "uniqueItems and the order both say so");
    }

    @Test
    void shouldRefuseATimeZoneTheDatabaseDoesNotKnow() {
        String window = "  window:\n    production:\n      days: [mon]\n      start: \"09:00\"\n      end: \"17:00\"\n";
        for (String zone : List.of("Europe/Berlin", "UTC", "America/Argentina/Buenos_Aires", "Etc/GMT+5")) {
            JsonNode root = withDeployment(window + "      timezone: " + zone + "\n");
            assertTrue(READER.check(root).ok(), () -> zone + ": " + READER.check(root));
        }
        for (String zone : List.of("Mars/Olympus_Mons", "Europe/Nowhere", "GMT+99", "UTC+25")) {
            JsonNode root = withDeployment(window + "      timezone: " + zone + "\n");
            ManifestReader.SchemaCheck check = READER.check(root);
            assertEquals(List.of("/deployment/window/production/timezone"), pointers(root), zone);
            assertTrue(check.errors().get(0).message().contains("IANA name"), check.toString());
            assertFalse(check.errors().get(0).message().contains(zone), "the message does not echo the value");
        }
    }

    @Test
    void shouldRefuseNumbersPastTheirMaximumWhereAJavaIntWouldWrap() {
        String twoToThe31 = "2147483648";
        assertEquals(List.of("/components/web/deploy/replicas"),
                pointers(accepted(valid().replace("replicas: 2", "replicas: " + twoToThe31))));
        assertEquals(List.of("/components/web/port"), pointers(accepted(valid().replace("port: 3000", "port: " + twoToThe31))));
        assertEquals(List.of("/deployment/monitoring_window_seconds"),
                pointers(withDeployment("  monitoring_window_seconds: " + twoToThe31 + "\n")));
        assertEquals(List.of("/deployment/monitoring_window_seconds"), pointers(withDeployment("  monitoring_window_seconds: 0\n")),
                "a monitoring window of 0 s watches nothing");
        assertEquals(List.of("/deployment/canary/pause_seconds"),
                pointers(withDeployment("  canary:\n    pause_seconds: " + twoToThe31 + "\n")));
        assertEquals(List.of("/deployment/approvals/production"),
                pointers(withDeployment("  approvals:\n    production: " + twoToThe31 + "\n")));
        assertEquals(List.of("/rollback/threshold/sustained_seconds"),
                pointers(accepted(valid().replace("error_rate: 5", "sustained_seconds: 9223372036854775808"))));
        assertEquals(List.of("/rollback/threshold/latency_p99"), pointers(accepted(valid().replace("error_rate: 5", "latency_p99: 1e300"))));
        refusedFor(valid().replace("error_rate: 5", "latency_p99: .inf"), "Malformed numeric value");
        assertEquals(List.of("/components/web/deploy/replicas"),
                pointers(accepted(valid().replace("replicas: 2", "replicas: -" + twoToThe31))));
        assertTrue(READER.check(withDeployment("  monitoring_window_seconds: 86400\n  canary:\n    pause_seconds: 86400\n")).ok());
    }

    @Test
    void shouldReportAtMostTheLimitOfSchemaErrorsAndCountTheRest() {
        StringBuilder unknown = new StringBuilder(valid());
        int extra = ManifestReader.MAX_SCHEMA_ERRORS + 5;
        for (int i = 0; i < extra; i++) {
            unknown.append("x").append(i).append(": 1\n");
        }
        JsonNode root = accepted(unknown.toString());
        ManifestReader.SchemaCheck check = READER.check(root);
        assertEquals(ManifestReader.MAX_SCHEMA_ERRORS, check.errors().size());
        assertTrue(check.total() >= extra, "total " + check.total());
        assertEquals(check.total(), READER.schemaErrors(root).size(), "schemaErrors gives every message, for callers that count");
    }
}
