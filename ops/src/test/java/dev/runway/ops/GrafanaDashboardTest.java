package dev.runway.ops;

import static dev.runway.ops.DeploymentDescriptorsTest.ROOT;
import static dev.runway.ops.DeploymentDescriptorsTest.SERVICES;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Keeps k8s/monitoring/runway-dashboard.json honest: every metric its PromQL reads is one the services
 * register (found in their main code, named as Micrometer's Prometheus registry exports it) or a framework
 * meter listed below, and every Runway meter has a panel. Renaming a meter without the dashboard fails here.
 */
class GrafanaDashboardTest {

    static final Path DASHBOARD = ROOT.resolve("k8s/monitoring/runway-dashboard.json");

    /**
     * Meters Quarkus registers by itself (micrometer-registry-prometheus binders for Kafka clients, the HTTP
     * server and the JVM), read from a real /q/metrics of a packaged service; none is in Runway's code.
     */
    static final Set<String> FRAMEWORK_METRICS = Set.of(
            "kafka_consumer_fetch_manager_records_lag_max",
            "kafka_consumer_fetch_manager_records_consumed_total",
            "http_server_requests_seconds_count",
            "jvm_memory_used_bytes");

    // Meter registrations: builder or registry shortcut, then the name literal.
    static final Pattern METER = Pattern.compile(
            "(Counter\\.builder|Timer\\.builder|Gauge\\.builder|DistributionSummary\\.builder|\\.counter|\\.gauge|\\.timer|\\.summary)\\(\\s*\"([A-Za-z_][A-Za-z0-9_.]*)\"");
    static final Pattern IDENTIFIER = Pattern.compile("(?<![A-Za-z0-9_:$.])([A-Za-z_:][A-Za-z0-9_:]*)");
    static final Set<String> PROMQL_WORDS = Set.of("by", "without", "on", "ignoring", "group_left", "group_right",
            "and", "or", "unless", "bool", "offset", "inf", "nan");

    static JsonNode dashboard;
    /** Prometheus series name -> the meter (as registered) it comes from. */
    static Map<String, String> exported;

    @BeforeAll
    static void load() throws IOException {
        dashboard = new ObjectMapper().readTree(DASHBOARD.toFile());
        exported = exportedSeries();
    }

    @Test
    void isAValidDashboardWithADatasourceVariableAndUniquePanelIds() {
        assertFalse(dashboard.path("title").asText().isBlank(), "dashboard title");
        assertFalse(dashboard.path("uid").asText().isBlank(), "dashboard uid (stable links)");
        assertTrue(dashboard.path("schemaVersion").asInt() > 0, "schemaVersion");
        List<JsonNode> panels = panels();
        assertTrue(panels.size() >= 10, "only " + panels.size() + " panels");

        Set<String> variables = new HashSet<>();
        String datasourceVariable = null;
        for (JsonNode variable : dashboard.path("templating").path("list")) {
            variables.add(variable.path("name").asText());
            if (variable.path("type").asText().equals("datasource") && variable.path("query").asText().equals("prometheus")) {
                datasourceVariable = variable.path("name").asText();
            }
        }
        assertTrue(datasourceVariable != null, "no Prometheus datasource variable in templating.list");
        String datasourceRef = "${" + datasourceVariable + "}";

        Set<Integer> ids = new HashSet<>();
        for (JsonNode panel : panels) {
            assertTrue(panel.path("id").isInt(), "panel without numeric id: " + panel.path("title").asText());
            assertTrue(ids.add(panel.path("id").asInt()), "panel id " + panel.path("id").asInt() + " used twice");
            JsonNode grid = panel.path("gridPos");
            for (String key : List.of("h", "w", "x", "y")) {
                assertTrue(grid.path(key).isInt(), "panel " + panel.path("id") + " gridPos." + key);
            }
            assertTrue(grid.path("x").asInt() + grid.path("w").asInt() <= 24, "panel " + panel.path("id") + " is wider than the grid");
            if (panel.path("type").asText().equals("row")) {
                continue;
            }
            assertFalse(panel.path("title").asText().isBlank(), "panel " + panel.path("id") + " has no title");
            assertEquals(datasourceRef, panel.path("datasource").path("uid").asText(),
                    "panel " + panel.path("title").asText() + " must use the datasource variable");
            assertFalse(panel.path("targets").isEmpty(), "panel " + panel.path("title").asText() + " has no query");
            for (JsonNode target : panel.path("targets")) {
                assertFalse(target.path("expr").asText().isBlank(), "panel " + panel.path("title").asText() + ": empty expr");
                assertEquals(datasourceRef, target.path("datasource").path("uid").asText(),
                        "panel " + panel.path("title").asText() + ": target datasource");
            }
        }
        // Every $variable the queries use is defined (Grafana's own $__ variables aside).
        Matcher used = Pattern.compile("\\$(?!__)([A-Za-z_][A-Za-z0-9_]*)").matcher(String.join("\n", expressions()));
        while (used.find()) {
            assertTrue(variables.contains(used.group(1)), "queries use $" + used.group(1) + ", which is not a dashboard variable");
        }
    }

    @Test
    void everyMetricTheQueriesReadIsRegisteredByAService() {
        Set<String> unknown = new TreeSet<>();
        Set<String> read = metricsRead();
        for (String metric : read) {
            if (!exported.containsKey(metric) && !FRAMEWORK_METRICS.contains(metric)) {
                unknown.add(metric);
            }
        }
        assertTrue(unknown.isEmpty(), "the dashboard reads metrics no service registers: " + unknown
                + "\nknown Runway series: " + new TreeSet<>(exported.keySet()));
        assertTrue(read.stream().anyMatch(exported::containsKey), "the dashboard reads no Runway metric at all");
    }

    @Test
    void everyRunwayMeterHasAPanel() {
        Set<String> shown = metricsRead().stream().map(exported::get).filter(m -> m != null).collect(Collectors.toSet());
        Set<String> missing = new TreeSet<>(exported.values());
        missing.removeAll(shown);
        assertTrue(missing.isEmpty(), "meters registered in the services' code but shown nowhere on the dashboard: " + missing);
        for (String required : List.of("runway_dora_deployments_per_day", "runway_dora_lead_time_seconds",
                "runway_dora_change_failure_rate_percent", "runway_dora_mttr_seconds", "runway_step_duration",
                "runway_lock_wait", "runway_compensations", "runway.notifier.deliveries", "runway_health_decisions")) {
            assertTrue(exported.containsValue(required), "the services no longer register " + required);
        }
    }

    @Test
    void alertsInTheDeploymentGuideReadOnlyRealMetrics() throws IOException {
        String guide = Files.readString(ROOT.resolve("DEPLOYMENT.md"));
        int start = guide.indexOf("Alerts worth setting");
        assertTrue(start >= 0, "DEPLOYMENT.md has no alerts table");
        int end = guide.indexOf("\n## ", start);
        Matcher code = Pattern.compile("`([^`]+)`").matcher(guide.substring(start, end < 0 ? guide.length() : end));
        Set<String> unknown = new TreeSet<>();
        int expressions = 0;
        while (code.find()) {
            Set<String> metrics = metricsIn(code.group(1));
            metrics.remove("up"); // Prometheus' own per-target series
            expressions += metrics.isEmpty() ? 0 : 1;
            metrics.stream().filter(m -> !exported.containsKey(m) && !FRAMEWORK_METRICS.contains(m)).forEach(unknown::add);
        }
        assertTrue(expressions >= 5, "found only " + expressions + " alert expressions in DEPLOYMENT.md");
        assertTrue(unknown.isEmpty(), "DEPLOYMENT.md alerts read metrics no service registers: " + unknown);
    }

    @Test
    void promqlMetricExtractionSeesMetricsAndIgnoresFunctionsLabelsAndVariables() {
        assertEquals(Set.of("runway_step_duration_seconds_bucket"), metricsIn(
                "histogram_quantile(0.95, sum by (le, step) (rate(runway_step_duration_seconds_bucket{environment=~\"$environment\", step!=\"x\"}[$__rate_interval])))"));
        assertEquals(Set.of("a_sum", "a_count"), metricsIn("sum without (pod) (rate(a_sum[5m])) / on (job) group_left sum(rate(a_count[5m])) > bool 0"));
        assertEquals(Set.of("up"), metricsIn("max by (quantile) (up{job=\"x\"}) offset 1h"));
        assertEquals("runway_notifier_deliveries_total", prometheusName("runway.notifier.deliveries", "counter"));
        assertEquals("runway_step_duration_seconds", prometheusName("runway_step_duration", "timer"));
    }

    // ------------------------------------------------------------------------------------------ helpers

    static List<JsonNode> panels() {
        List<JsonNode> all = new ArrayList<>();
        for (JsonNode panel : dashboard.path("panels")) {
            all.add(panel);
            panel.path("panels").forEach(all::add);
        }
        return all;
    }

    static List<String> expressions() {
        List<String> exprs = new ArrayList<>();
        for (JsonNode panel : panels()) {
            panel.path("targets").forEach(t -> exprs.add(t.path("expr").asText()));
        }
        for (JsonNode variable : dashboard.path("templating").path("list")) {
            String definition = variable.path("definition").asText();
            Matcher labelValues = Pattern.compile("label_values\\(\\s*([A-Za-z_:][A-Za-z0-9_:]*)\\s*,").matcher(definition);
            if (labelValues.find()) {
                exprs.add(labelValues.group(1));
            }
        }
        return exprs;
    }

    static Set<String> metricsRead() {
        Set<String> metrics = new TreeSet<>();
        expressions().forEach(e -> metrics.addAll(metricsIn(e)));
        return metrics;
    }

    /** Metric names in a PromQL expression: identifiers that are not functions, keywords, labels or durations. */
    static Set<String> metricsIn(String expr) {
        String stripped = expr.replaceAll("\"(?:[^\"\\\\]|\\\\.)*\"", "\"\"")
                .replaceAll("\\{[^}]*}", " ")
                .replaceAll("\\[[^]]*]", " ")
                .replaceAll("(?i)\\b(by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)", " ")
                .replaceAll("\\$[A-Za-z_][A-Za-z0-9_]*", " ");
        Set<String> metrics = new TreeSet<>();
        Matcher m = IDENTIFIER.matcher(stripped);
        while (m.find()) {
            String word = m.group(1);
            int after = m.end();
            while (after < stripped.length() && Character.isWhitespace(stripped.charAt(after))) {
                after++;
            }
            boolean function = after < stripped.length() && stripped.charAt(after) == '(';
            if (!function && !PROMQL_WORDS.contains(word.toLowerCase())) {
                metrics.add(word);
            }
        }
        return metrics;
    }

    /** Every series the services' own meters export, mapped to the meter name as registered in code. */
    static Map<String, String> exportedSeries() throws IOException {
        Map<String, String> series = new TreeMap<>();
        for (String service : SERVICES) {
            Path sources = ROOT.resolve(service).resolve("src/main/java");
            List<Path> files;
            try (Stream<Path> walk = Files.walk(sources)) {
                files = walk.filter(f -> f.toString().endsWith(".java")).collect(Collectors.toList());
            }
            for (Path file : files) {
                String code = Files.readString(file);
                Matcher m = METER.matcher(code);
                while (m.find()) {
                    String call = m.group(1);
                    String meter = m.group(2);
                    int end = code.indexOf(';', m.end());
                    String statement = code.substring(m.start(), end < 0 ? code.length() : end);
                    String type = call.contains("Counter") || call.equals(".counter") ? "counter"
                            : call.contains("Timer") || call.equals(".timer") ? "timer"
                            : call.contains("DistributionSummary") || call.equals(".summary") ? "summary" : "gauge";
                    String base = prometheusName(meter, type);
                    List<String> names = new ArrayList<>();
                    switch (type) {
                        case "counter", "gauge" -> names.add(base);
                        default -> {
                            names.addAll(List.of(base + "_count", base + "_sum", base + "_max"));
                            if (statement.contains("publishPercentileHistogram")) {
                                names.add(base + "_bucket");
                            }
                            if (statement.contains("publishPercentiles")) {
                                names.add(base);
                            }
                        }
                    }
                    names.forEach(n -> series.put(n, meter));
                }
            }
        }
        assertTrue(series.size() >= 10, "found only " + series + " in the services' code; the meter scan is wrong");
        return series;
    }

    /** Micrometer's Prometheus naming: dots become underscores, timers in seconds, counters end in _total. */
    static String prometheusName(String meter, String type) {
        String name = meter.replace('.', '_');
        return switch (type) {
            case "counter" -> name.endsWith("_total") ? name : name + "_total";
            case "timer" -> name.endsWith("_seconds") ? name : name + "_seconds";
            default -> name;
        };
    }
}
