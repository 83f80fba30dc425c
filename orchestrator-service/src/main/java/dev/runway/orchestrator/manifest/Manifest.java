package dev.runway.orchestrator.manifest;

import java.time.DayOfWeek;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

import com.fasterxml.jackson.databind.JsonNode;

import dev.runway.events.Environment;
import dev.runway.events.Strategy;
import dev.runway.events.TargetKind;
import dev.runway.manifest.ManifestReader;

/**
 * The parts of a validated deploy manifest the orchestrator acts on. Everything else (build,
 * services, environment variables) is the validator's and the executor's business.
 */
public record Manifest(String project, String client, Map<String, Component> components, Optional<String> migrationsPath,
        Optional<Strategy> strategy, Map<Environment, Boolean> approvalRequired, Map<Environment, Integer> approvals,
        Map<Environment, DeploymentWindow> windows, Map<Environment, TargetKind> targets, List<Integer> canarySteps,
        Optional<Integer> canaryPauseSeconds, Optional<Integer> monitoringWindowSeconds, Rollback rollback) {

    public record Component(String name, boolean enabled, String image, String artifact, Integer port,
            String healthcheck, int replicas, String cpu, String memory, Strategy strategy) {
    }

    /** {@code rollback} block; absent numbers mean "SOP default". */
    public record Rollback(boolean automatic, Double errorRatePercent, Double latencyP99Ms, Double latencyP95Ms,
            Integer sustainedSeconds) {
    }

    /**
     * Reads a manifest's text (YAML, or JSON, which is YAML) with the shared bounded reader, so the
     * orchestrator accepts exactly what the validator accepts; what it refuses is a {@link ManifestException}.
     */
    public static Manifest read(ManifestReader reader, String text) {
        ManifestReader.Parsed parsed = reader.parse(text);
        if (!parsed.ok()) {
            throw ManifestException.unreadable(parsed.error());
        }
        ManifestReader.SchemaCheck check = reader.check(parsed.root());
        if (!check.ok()) {
            throw ManifestException.invalid(check);
        }
        return from(parsed.root());
    }

    /** The parts of a manifest tree, already valid against the schema, that the orchestrator acts on. */
    static Manifest from(JsonNode root) {
        Map<String, Component> components = new LinkedHashMap<>();
        root.path("components").fields().forEachRemaining(entry -> {
            JsonNode c = entry.getValue();
            JsonNode deploy = c.path("deploy");
            components.put(entry.getKey(), new Component(entry.getKey(), c.path("enabled").asBoolean(true),
                    text(deploy, "image"), text(deploy, "artifact"), c.has("port") ? c.get("port").asInt() : null,
                    text(c, "healthcheck"), deploy.path("replicas").asInt(1), text(deploy.path("resources"), "cpu"),
                    text(deploy.path("resources"), "memory"), strategy(text(deploy, "strategy")).orElse(null)));
        });
        JsonNode deployment = root.path("deployment");
        Map<Environment, Boolean> approvalRequired = perEnvironment(deployment.path("approval_required"), JsonNode::asBoolean);
        Map<Environment, Integer> approvals = perEnvironment(deployment.path("approvals"), JsonNode::asInt);
        Map<Environment, DeploymentWindow> windows = perEnvironment(deployment.path("window"), Manifest::window);
        Map<Environment, TargetKind> targets = perEnvironment(deployment.path("targets"),
                n -> TargetKind.valueOf(n.asText().toUpperCase(Locale.ROOT)));
        List<Integer> canarySteps = new ArrayList<>();
        deployment.path("canary").path("steps").forEach(n -> canarySteps.add(n.asInt()));
        JsonNode rollback = root.path("rollback");
        JsonNode threshold = rollback.path("threshold");
        return new Manifest(root.path("project").path("name").asText(), text(root.path("project"), "client"), components,
                Optional.ofNullable(text(root.path("database").path("migrations"), "path"))
                        .or(() -> root.path("database").isObject() ? Optional.of("database/migrations") : Optional.empty()),
                strategy(text(deployment, "strategy")), approvalRequired, approvals, windows, targets, canarySteps,
                optionalInt(deployment.path("canary"), "pause_seconds"), optionalInt(deployment, "monitoring_window_seconds"),
                new Rollback(rollback.path("automatic").asBoolean(true), optionalDouble(threshold, "error_rate"),
                        optionalDouble(threshold, "latency_p99"), optionalDouble(threshold, "latency_p95"),
                        optionalInt(threshold, "sustained_seconds").orElse(null)));
    }

    /** A strategy as the manifest and the API spell it ({@code blue-green}), or empty for none. */
    public static Optional<Strategy> strategy(String text) {
        if (text == null) {
            return Optional.empty();
        }
        return Optional.of(Strategy.valueOf(text.toUpperCase(Locale.ROOT).replace('-', '_')));
    }

    private static DeploymentWindow window(JsonNode node) {
        Set<DayOfWeek> days = EnumSet.noneOf(DayOfWeek.class);
        node.path("days").forEach(d -> days.add(day(d.asText())));
        return new DeploymentWindow(days, LocalTime.parse(node.path("start").asText()),
                LocalTime.parse(node.path("end").asText()), ZoneId.of(node.path("timezone").asText("UTC")));
    }

    private static DayOfWeek day(String abbreviation) {
        for (DayOfWeek d : DayOfWeek.values()) {
            if (d.name().toLowerCase(Locale.ROOT).startsWith(abbreviation)) {
                return d;
            }
        }
        throw new IllegalArgumentException(abbreviation);
    }

    private static <T> Map<Environment, T> perEnvironment(JsonNode node, Function<JsonNode, T> value) {
        Map<Environment, T> result = new EnumMap<>(Environment.class);
        for (Environment env : Environment.values()) {
            JsonNode n = node.get(env.name().toLowerCase(Locale.ROOT));
            if (n != null && !n.isNull()) {
                result.put(env, value.apply(n));
            }
        }
        return result;
    }

    private static String text(JsonNode node, String field) {
        JsonNode n = node.get(field);
        return n == null || n.isNull() ? null : n.asText();
    }

    private static Optional<Integer> optionalInt(JsonNode node, String field) {
        JsonNode n = node.get(field);
        return n == null || !n.isNumber() ? Optional.empty() : Optional.of(n.asInt());
    }

    private static Double optionalDouble(JsonNode node, String field) {
        JsonNode n = node.get(field);
        return n == null || !n.isNumber() ? null : n.asDouble();
    }
}
