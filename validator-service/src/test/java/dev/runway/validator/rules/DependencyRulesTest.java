package dev.runway.validator.rules;

import static dev.runway.validator.fixtures.Reports.assertFailed;
import static dev.runway.validator.fixtures.Reports.assertPassed;
import static dev.runway.validator.fixtures.Reports.assertStatus;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

import dev.runway.events.CheckStatus;
import dev.runway.validator.fixtures.FixtureRepo;

/** Phase 5: lockfiles and vulnerability reports (npm audit, Trivy, OSV); no report is not a pass. */
class DependencyRulesTest {

    static final String REPORT = "security/npm-audit.json";

    static final String NPM_HIGH = """
            {"auditReportVersion": 2, "vulnerabilities": {
              "lodash": {"name": "lodash", "severity": "high", "via": [{"source": 1, "url": "https://github.com/advisories/GHSA-35jh-r3h4-6jhm"}]},
              "ms": {"name": "ms", "severity": "low", "via": []}},
             "metadata": {"vulnerabilities": {"low": 1, "high": 1, "total": 2}}}
            """;

    static final String TRIVY_LOW = """
            {"SchemaVersion": 2, "ArtifactName": "acme/api:1.1.0", "Results": [
              {"Target": "alpine", "Vulnerabilities": [{"VulnerabilityID": "CVE-2024-0001", "PkgName": "busybox", "Severity": "LOW"}]},
              {"Target": "node-pkg"}]}
            """;

    static final String TRIVY_MEDIUM = TRIVY_LOW.replace("\"LOW\"", "\"MEDIUM\"");

    static final String OSV = """
            {"results": [{"source": {"path": "package-lock.json", "type": "lockfile"}, "packages": [{
              "package": {"name": "express", "version": "4.17.1", "ecosystem": "npm"},
              "vulnerabilities": [{"id": "GHSA-rv95-896h-c2vc"}, {"id": "GHSA-no-score"}],
              "groups": [{"ids": ["GHSA-rv95-896h-c2vc"], "max_severity": "6.1"}]}]}]}
            """;

    @Test
    void missingLockfileFailsAndAWorkspaceRootLockCounts() {
        try (FixtureRepo repo = FixtureRepo.released()) {
            repo.delete("services/api/package-lock.json").release("v1.1.0");
            assertFailed(repo.validate(), Rule.LOCKFILE, "package-lock.json missing for services/api/package.json");
            repo.write("package-lock.json", "{\"lockfileVersion\": 3, \"packages\": {}}\n").release("v1.2.0");
            assertPassed(repo.validate(), Rule.LOCKFILE);
        }
    }

    @Test
    void flutterProjectNeedsPubspecLock() {
        try (FixtureRepo repo = FixtureRepo.released()) {
            repo.write("apps/mobile/pubspec.yaml", "name: acme_mobile\n").release("v1.1.0");
            assertFailed(repo.validate(), Rule.LOCKFILE, "pubspec.lock missing for apps/mobile/pubspec.yaml");
        }
    }

    @Test
    void projectWithDependenciesAndNoScanReportFails() {
        try (FixtureRepo repo = FixtureRepo.released()) {
            repo.delete(REPORT).release("v1.1.0");
            Report report = repo.validate();
            assertFailed(report, Rule.SCAN_REPORT, "No vulnerability scan report");
            assertStatus(report, Rule.VULNERABILITIES, CheckStatus.SKIPPED, "no scan report");
            // attached to the request instead of committed
            assertPassed(repo.validate(r -> r.withScanReport(TRIVY_LOW)), Rule.VULNERABILITIES);
        }
    }

    @Test
    void unreadableReportFails() {
        try (FixtureRepo repo = FixtureRepo.released()) {
            repo.write(REPORT, "{\"hello\": \"world\"}").release("v1.1.0");
            assertFailed(repo.validate(), Rule.SCAN_REPORT, "not an npm audit, Trivy or OSV report");
            repo.write(REPORT, "<html>not json").release("v1.2.0");
            assertFailed(repo.validate(), Rule.SCAN_REPORT, "not JSON");
        }
    }

    @Test
    void vulnerabilitiesAboveLowBlockInEveryFormat() {
        try (FixtureRepo repo = FixtureRepo.released()) {
            repo.write(REPORT, NPM_HIGH).release("v1.1.0");
            Check npm = assertFailed(repo.validate(), Rule.VULNERABILITIES, "GHSA-35jh-r3h4-6jhm in lodash (high)");
            assertEquals(Rule.VULNERABILITIES.severity(), npm.severity());

            repo.delete(REPORT).release("v1.2.0");
            assertFailed(repo.validate(r -> r.withScanReport(TRIVY_MEDIUM)), Rule.VULNERABILITIES, "CVE-2024-0001 in busybox (medium)");
            Report osv = repo.validate(r -> r.withScanReport(OSV));
            assertFailed(osv, Rule.VULNERABILITIES, "GHSA-rv95-896h-c2vc in express (medium)");
            // a finding without any severity is not known to be low: it blocks
            assertFailed(osv, Rule.VULNERABILITIES, "GHSA-no-score in express (unknown)");
        }
    }

    @Test
    void lowFindingsPass() {
        try (FixtureRepo repo = FixtureRepo.released()) {
            repo.write(REPORT, TRIVY_LOW).release("v1.1.0");
            assertStatus(repo.validate(), Rule.VULNERABILITIES, CheckStatus.PASSED, "No vulnerabilities above Low (1 low)");
        }
    }
}
