package dev.runway.validator.rules;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Reads vulnerability scan reports in the three formats the SOP's teams produce: npm audit JSON
 * (v1 and v2), Trivy JSON and OSV (osv-scanner output or a list of OSV records). Anything else is
 * refused, and a finding without a usable severity counts as {@link Level#UNKNOWN}, which blocks.
 */
final class ScanReports {

    static final int MAX_BYTES = 16 * 1024 * 1024;

    enum Level {
        NONE, LOW, MEDIUM, HIGH, CRITICAL, UNKNOWN;

        /** Above "Low" blocks (sop.md 000-1.2); unknown is not known to be low, so it blocks too. */
        boolean blocks() {
            return this == MEDIUM || this == HIGH || this == CRITICAL || this == UNKNOWN;
        }
    }

    record Finding(String id, String pkg, Level level) {
        @Override
        public String toString() {
            return id + " in " + pkg + " (" + level.name().toLowerCase(Locale.ROOT) + ")";
        }
    }

    record Scan(String format, List<Finding> findings) {
    }

    static final class UnreadableReport extends Exception {
        UnreadableReport(String message) {
            super(message);
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper(JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(64).maxStringLength(1024 * 1024)
                    .maxDocumentLength(MAX_BYTES).build())
            .build());

    private ScanReports() {
    }

    static Scan parse(String text) throws UnreadableReport {
        JsonNode root;
        try {
            root = JSON.readTree(text);
        } catch (JsonProcessingException e) {
            throw new UnreadableReport("not JSON: " + String.valueOf(e.getOriginalMessage()).lines().findFirst().orElse(""));
        } catch (IOException e) {
            throw new UnreadableReport("not JSON: " + e.getMessage());
        }
        if (root == null || root.isMissingNode()) {
            throw new UnreadableReport("empty report");
        }
        if (root.isObject() && root.has("auditReportVersion") && root.path("vulnerabilities").isObject()) {
            return npmV2(root);
        }
        if (root.isObject() && root.path("advisories").isObject()) {
            return npmV1(root);
        }
        if (root.isObject() && root.path("Results").isArray() || root.isObject() && root.has("SchemaVersion") && root.has("ArtifactName")) {
            return trivy(root);
        }
        if (root.isObject() && root.path("results").isArray()) {
            return osvScanner(root);
        }
        if (root.isArray() || root.isObject() && root.path("vulns").isArray()) {
            return osvRecords(root.isArray() ? root : root.path("vulns"));
        }
        throw new UnreadableReport("not an npm audit, Trivy or OSV report");
    }

    private static Scan npmV2(JsonNode root) {
        List<Finding> findings = new ArrayList<>();
        root.path("vulnerabilities").properties().forEach(e -> findings.add(
                new Finding(advisoryOf(e.getValue()), e.getKey(), level(e.getValue().path("severity").asText(null)))));
        return new Scan("npm audit", findings);
    }

    /** The first advisory (GHSA URL or title) of an npm v2 entry, else its name. */
    private static String advisoryOf(JsonNode vulnerability) {
        for (JsonNode via : vulnerability.path("via")) {
            if (via.isObject() && via.hasNonNull("url")) {
                String url = via.path("url").asText();
                return url.substring(url.lastIndexOf('/') + 1);
            }
        }
        return vulnerability.path("name").asText("advisory");
    }

    private static Scan npmV1(JsonNode root) {
        List<Finding> findings = new ArrayList<>();
        root.path("advisories").properties().forEach(e -> findings.add(new Finding(
                "npm-" + e.getValue().path("id").asText(e.getKey()), e.getValue().path("module_name").asText("?"),
                level(e.getValue().path("severity").asText(null)))));
        return new Scan("npm audit", findings);
    }

    private static Scan trivy(JsonNode root) {
        List<Finding> findings = new ArrayList<>();
        for (JsonNode result : root.path("Results")) {
            for (JsonNode v : result.path("Vulnerabilities")) {
                findings.add(new Finding(v.path("VulnerabilityID").asText("?"), v.path("PkgName").asText("?"),
                        level(v.path("Severity").asText(null))));
            }
        }
        return new Scan("Trivy", findings);
    }

    private static Scan osvScanner(JsonNode root) {
        List<Finding> findings = new ArrayList<>();
        for (JsonNode result : root.path("results")) {
            for (JsonNode pkg : result.path("packages")) {
                String name = pkg.path("package").path("name").asText("?");
                Map<String, Level> groupLevels = new HashMap<>();
                for (JsonNode group : pkg.path("groups")) {
                    Level level = cvssLevel(group.path("max_severity").asText(""));
                    for (JsonNode id : group.path("ids")) {
                        groupLevels.put(id.asText(), level);
                    }
                }
                for (JsonNode v : pkg.path("vulnerabilities")) {
                    String id = v.path("id").asText("?");
                    Level level = groupLevels.getOrDefault(id, Level.UNKNOWN);
                    if (level == Level.UNKNOWN) {
                        level = level(v.path("database_specific").path("severity").asText(null));
                    }
                    findings.add(new Finding(id, name, level));
                }
            }
        }
        return new Scan("OSV", findings);
    }

    private static Scan osvRecords(JsonNode records) throws UnreadableReport {
        List<Finding> findings = new ArrayList<>();
        for (JsonNode v : records) {
            if (!v.isObject() || !v.hasNonNull("id")) {
                throw new UnreadableReport("not an npm audit, Trivy or OSV report");
            }
            String pkg = v.path("affected").path(0).path("package").path("name").asText("?");
            findings.add(new Finding(v.path("id").asText(), pkg, level(v.path("database_specific").path("severity").asText(null))));
        }
        return new Scan("OSV", findings);
    }

    static Level level(String severity) {
        if (severity == null) {
            return Level.UNKNOWN;
        }
        return switch (severity.strip().toLowerCase(Locale.ROOT)) {
            case "info", "none" -> Level.NONE;
            case "low" -> Level.LOW;
            case "moderate", "medium" -> Level.MEDIUM;
            case "high" -> Level.HIGH;
            case "critical" -> Level.CRITICAL;
            default -> Level.UNKNOWN;
        };
    }

    /** CVSS base score bands: 0.1-3.9 low, 4-6.9 medium, 7-8.9 high, 9+ critical. */
    static Level cvssLevel(String score) {
        try {
            double s = Double.parseDouble(score);
            if (s <= 0) {
                return Level.NONE;
            }
            return s < 4 ? Level.LOW : s < 7 ? Level.MEDIUM : s < 9 ? Level.HIGH : Level.CRITICAL;
        } catch (NumberFormatException e) {
            return Level.UNKNOWN;
        }
    }
}
