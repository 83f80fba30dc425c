package dev.runway.validator.rules;

import static dev.runway.validator.fixtures.Reports.assertFailed;
import static dev.runway.validator.fixtures.Reports.assertPassed;
import static dev.runway.validator.fixtures.Reports.assertWarned;
import static dev.runway.validator.fixtures.Reports.dump;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.runway.events.CheckStatus;
import dev.runway.events.ValidationOutcome;
import dev.runway.manifest.ManifestReader;
import dev.runway.validator.fixtures.FixtureRepo;
import dev.runway.validator.fixtures.Reports;

/** Phases 1 and 2: required files and the manifest. */
class ManifestRulesTest {

    static final String MANIFEST = "deploy.manifest.yaml";

    static String seedExample() throws IOException {
        try (InputStream in = ManifestRulesTest.class.getResourceAsStream("/manifests/seed-example.yaml")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void seedExampleManifestIsValidAgainstTheSchema() throws IOException {
        ManifestReader reader = new ManifestReader();
        ManifestReader.Parsed parsed = reader.parse(seedExample());
        assertTrue(parsed.ok(), parsed.error());
        assertEquals(List.of(), reader.schemaErrors(parsed.root()));
    }

    @Test
    void seedExampleManifestSentInlinePassesThePhaseTwoRules() throws IOException {
        try (FixtureRepo repo = FixtureRepo.released()) {
            String seed = seedExample();
            Report report = repo.validate(r -> r.withInlineManifest(seed));
            assertPassed(report, Rule.MANIFEST_YAML);
            assertPassed(report, Rule.MANIFEST_SCHEMA);
            assertPassed(report, Rule.PROJECT_NAME);
            assertPassed(report, Rule.COMPONENT_BUILD);
            assertTrue(Reports.of(report, Rule.MANIFEST_SCHEMA).get(0).file().contains("inline"));
        }
    }

    @Test
    void missingRequiredFileFailsWithItsName() {
        try (FixtureRepo repo = FixtureRepo.released()) {
            repo.delete("scripts/rollback.sh").release("v1.1.0");
            Report report = repo.validate();
            Check c = assertFailed(report, Rule.REQUIRED_FILE, "Missing required file: scripts/rollback.sh");
            assertEquals("scripts/rollback.sh", c.file());
            assertEquals(ValidationOutcome.FAILED, report.outcome());
            assertEquals(5, Reports.of(report, Rule.REQUIRED_FILE).stream().filter(x -> x.status() == CheckStatus.PASSED).count());
        }
    }

    @Test
    void missingManifestFailsAndDependentRulesAreSkipped() {
        try (FixtureRepo repo = FixtureRepo.released()) {
            repo.delete(MANIFEST).release("v1.1.0");
            Report report = repo.validate();
            assertFailed(report, Rule.MANIFEST_YAML, "missing");
            assertTrue(Reports.of(report, Rule.MANIFEST_SCHEMA).stream().allMatch(c -> c.status() == CheckStatus.SKIPPED));
            assertEquals(ValidationOutcome.FAILED, report.outcome());
        }
    }

    @Test
    void invalidYamlFails() {
        try (FixtureRepo repo = FixtureRepo.released()) {
            repo.edit(MANIFEST, "project:\n", "project: [unclosed\n").release("v1.1.0");
            assertFailed(repo.validate(), Rule.MANIFEST_YAML, "invalid YAML");
        }
    }

    @Test
    void schemaErrorNamesTheJsonPointer() {
        try (FixtureRepo repo = FixtureRepo.released()) {
            repo.edit(MANIFEST, "port: 4000", "port: \"4000\"").release("v1.1.0");
            Report report = repo.validate();
            assertFailed(report, Rule.MANIFEST_SCHEMA, "/components/api/port");
            assertPassed(report, Rule.MANIFEST_YAML);
        }
    }

    @Test
    void missingProjectNameFails() {
        try (FixtureRepo repo = FixtureRepo.released()) {
            repo.edit(MANIFEST, "  name: \"acme-shop\"\n", "").release("v1.1.0");
            assertFailed(repo.validate(), Rule.PROJECT_NAME, "Project name not defined");
        }
    }

    @Test
    void noEnabledComponentFails() {
        try (FixtureRepo repo = FixtureRepo.released()) {
            repo.write(MANIFEST, repo.read(MANIFEST).replace("enabled: true", "enabled: false")).release("v1.1.0");
            assertFailed(repo.validate(), Rule.COMPONENTS_ENABLED, "No component is enabled");
        }
    }

    @Test
    void requestedComponentMustExistAndBeEnabled() {
        try (FixtureRepo repo = FixtureRepo.released()) {
            assertFailed(repo.validate(r -> r.withComponents(List.of("api", "worker"))), Rule.REQUESTED_COMPONENTS, "not in the manifest: worker");
            assertPassed(repo.validate(r -> r.withComponents(List.of("api"))), Rule.REQUESTED_COMPONENTS);
        }
    }

    @Test
    void enabledComponentNeedsABuildCommandOrRuntime() {
        try (FixtureRepo repo = FixtureRepo.released()) {
            repo.edit(MANIFEST, "    runtime: \"node\"\n", "").release("v1.1.0");
            assertFailed(repo.validate(), Rule.COMPONENT_BUILD, "Component api has neither build.command nor runtime");
        }
    }

    @Test
    void mobileComponentNeedsABuildPerPlatform() {
        try (FixtureRepo repo = FixtureRepo.released()) {
            repo.edit(MANIFEST, "  api:\n", """
                      mobile:
                        enabled: true
                        framework: "flutter"
                        platforms: [android, ios]
                        build:
                          android: "flutter build appbundle --release"
                      api:
                    """).release("v1.1.0");
            Report report = repo.validate();
            assertFailed(report, Rule.COMPONENT_BUILD, "Component mobile has no build command for: ios");
        }
    }

    @Test
    void serverComponentWithAPortNeedsAHealthcheckAndOneWithoutEitherIsWarned() {
        try (FixtureRepo repo = FixtureRepo.released()) {
            repo.edit(MANIFEST, "    healthcheck: \"/health\"\n", "").release("v1.1.0");
            assertFailed(repo.validate(), Rule.COMPONENT_HEALTHCHECK, "Component api listens on a port but has no healthcheck");
            repo.edit(MANIFEST, "    port: 4000\n", "").release("v1.2.0");
            Report report = repo.validate();
            assertWarned(report, Rule.COMPONENT_HEALTHCHECK, "Component api has no port and no healthcheck");
            assertEquals(ValidationOutcome.PASSED_WITH_WARNINGS, report.outcome(), dump(report));
        }
    }
}
