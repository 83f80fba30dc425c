package dev.runway.validator.rules;

import static dev.runway.validator.fixtures.Reports.dump;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import dev.runway.events.CheckStatus;
import dev.runway.events.ValidationOutcome;
import dev.runway.manifest.ManifestReader;
import dev.runway.validator.fixtures.FixtureRepo;
import dev.runway.validator.fixtures.Reports;

/**
 * Manifests written to hurt the validator: deep nesting, huge strings and numbers, alias bombs,
 * wrong types, several documents, binary. Each must come back as a clean failure of phase 2 - a
 * report, not an exception, a hang or an out-of-memory - with the limits of {@link ManifestReader}
 * doing the bounding. No timing is asserted; returning at all within the JVM's heap is the point.
 */
class HostileManifestTest {

    static FixtureRepo repo;

    @BeforeAll
    static void fixture() {
        repo = FixtureRepo.released();
    }

    @AfterAll
    static void cleanUp() {
        repo.close();
    }

    record Hostile(String name, String text, Rule failing) {
    }

    static List<Hostile> hostile() {
        String base = repoManifest();
        List<Hostile> cases = new ArrayList<>();
        cases.add(new Hostile("deep flow nesting", "a: " + "[".repeat(100_000) + "]".repeat(100_000), Rule.MANIFEST_YAML));
        cases.add(new Hostile("deep block nesting", deepBlock(2_000), Rule.MANIFEST_YAML));
        cases.add(new Hostile("billion laughs", billionLaughs(), Rule.MANIFEST_YAML));
        cases.add(new Hostile("single alias", base + "\nx-copy: &anchor {a: 1}\nx-other: *anchor\n", Rule.MANIFEST_YAML));
        cases.add(new Hostile("recursive anchor", "a: &a [*a]\n", Rule.MANIFEST_YAML));
        cases.add(new Hostile("huge string value", base.replace("name: \"acme-shop\"", "name: \"" + "x".repeat(200_000) + "\""),
                Rule.MANIFEST_YAML));
        cases.add(new Hostile("manifest over the size limit", base + "\n# " + "pad ".repeat(100_000) + "\n", Rule.MANIFEST_YAML));
        cases.add(new Hostile("huge key count", hugeKeys(), Rule.MANIFEST_YAML));
        cases.add(new Hostile("huge number", base.replace("port: 4000", "port: " + "9".repeat(5_000)), Rule.MANIFEST_SCHEMA));
        cases.add(new Hostile("duplicate keys", base + "\nversion: \"2.0\"\n", Rule.MANIFEST_YAML));
        cases.add(new Hostile("several documents", base + "\n---\nversion: \"2.0\"\n", Rule.MANIFEST_YAML));
        cases.add(new Hostile("top-level list", "- version: \"1.0\"\n", Rule.MANIFEST_YAML));
        cases.add(new Hostile("top-level scalar", "just a string", Rule.MANIFEST_YAML));
        cases.add(new Hostile("empty", "", Rule.MANIFEST_YAML));
        cases.add(new Hostile("binary", new String(new byte[] { 0, 1, 2, (byte) 0xff, 0x7f, 0 }, StandardCharsets.ISO_8859_1),
                Rule.MANIFEST_YAML));
        cases.add(new Hostile("java type tag", "version: !!javax.script.ScriptEngineManager [!!java.net.URLClassLoader [[!!java.net.URL [\"http://127.0.0.1:9/\"]]]]\n",
                Rule.MANIFEST_SCHEMA));
        cases.add(new Hostile("components as a string", base.replaceFirst("(?s)components:.*?database:", "components: \"all\"\ndatabase:"),
                Rule.MANIFEST_SCHEMA));
        cases.add(new Hostile("project as a list", base.replaceFirst("(?s)project:.*?components:", "project: [1, 2]\ncomponents:"),
                Rule.MANIFEST_SCHEMA));
        cases.add(new Hostile("required variables as a map", base.replaceFirst("(?s)  required:.*?  optional:", "  required: {a: b}\n  optional:"),
                Rule.MANIFEST_SCHEMA));
        cases.add(new Hostile("enabled as a string", base.replace("enabled: true", "enabled: \"no\""), Rule.MANIFEST_SCHEMA));
        return cases;
    }

    static String repoManifest() {
        return repo.read("deploy.manifest.yaml");
    }

    static String deepBlock(int depth) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < depth; i++) {
            sb.append("  ".repeat(i)).append("k").append(i).append(":\n");
        }
        return sb.append("  ".repeat(depth)).append("v\n").toString();
    }

    static String billionLaughs() {
        StringBuilder sb = new StringBuilder("a0: &a0 [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n");
        for (int i = 1; i < 10; i++) {
            sb.append("a").append(i).append(": &a").append(i).append(" [");
            for (int j = 0; j < 9; j++) {
                sb.append(j == 0 ? "" : ",").append("*a").append(i - 1);
            }
            sb.append("]\n");
        }
        return sb.toString();
    }

    static String hugeKeys() {
        StringBuilder sb = new StringBuilder("version: \"1.0\"\n");
        for (int i = 0; sb.length() < 300_000; i++) {
            sb.append("x-k").append(i).append(": ").append(i).append('\n');
        }
        return sb.toString();
    }

    @TestFactory
    Stream<DynamicTest> hostileManifestsFailCleanly() {
        return hostile().stream().map(h -> DynamicTest.dynamicTest(h.name(), () -> {
            Report report = repo.validate(r -> r.withInlineManifest(h.text()));
            assertNotNull(report);
            assertEquals(ValidationOutcome.FAILED, report.outcome(), h.name() + ":\n" + dump(report));
            assertTrue(report.checks().stream().anyMatch(c -> c.rule() == h.failing() && c.status() == CheckStatus.FAILED),
                    h.name() + " should fail " + h.failing().id() + ":\n" + dump(report));
            assertFalse(dump(report).contains("Could not check"), h.name() + " broke a rule instead of failing it:\n" + dump(report));
            // messages stay short: a huge input is never echoed back
            assertTrue(report.checks().stream().allMatch(c -> c.message().length() < 2_000), h.name() + " echoed its input");
        }));
    }

    @Test
    void committedManifestThatIsNotUtf8OrTooLargeFailsCleanly() {
        try (FixtureRepo r = FixtureRepo.released()) {
            r.writeBytes("deploy.manifest.yaml", new byte[] { 'a', ':', ' ', (byte) 0xc3, (byte) 0x28, '\n' }).release("v1.1.0");
            Reports.assertFailed(r.validate(), Rule.MANIFEST_YAML, "not UTF-8");
            r.write("deploy.manifest.yaml", "# " + "x".repeat(ManifestReader.MAX_BYTES) + "\n").release("v1.2.0");
            Reports.assertFailed(r.validate(), Rule.MANIFEST_YAML, "too large");
        }
    }

    /** Random byte-level damage to a valid manifest never escapes as an exception or a broken rule. */
    @Test
    void randomlyDamagedManifestsNeverBreakTheEngine() {
        String base = repoManifest();
        Random random = new Random(20260115L);
        String alphabet = "{}[]:-&*!|>'\"#%@`,? \n\t\\x9";
        for (int i = 0; i < 300; i++) {
            StringBuilder text = new StringBuilder(base);
            int edits = 1 + random.nextInt(6);
            for (int e = 0; e < edits; e++) {
                int at = random.nextInt(text.length());
                switch (random.nextInt(3)) {
                    case 0 -> text.deleteCharAt(at);
                    case 1 -> text.insert(at, alphabet.charAt(random.nextInt(alphabet.length())));
                    default -> text.setCharAt(at, alphabet.charAt(random.nextInt(alphabet.length())));
                }
            }
            String damaged = text.toString();
            Report report = repo.validate(r -> r.withInlineManifest(damaged));
            assertFalse(dump(report).contains("Could not check"), "iteration " + i + " broke a rule:\n" + damaged + "\n" + dump(report));
            assertTrue(report.checks().stream().anyMatch(c -> c.rule() == Rule.MANIFEST_YAML), "iteration " + i);
        }
    }
}
