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
