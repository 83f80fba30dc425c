package dev.runway.orchestrator.manifest;

import java.math.BigDecimal;
import java.time.DateTimeException;
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
import java.util.function.BiFunction;

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
        Optional<String> migrationsTool, Optional<Strategy> strategy, Map<Environment, Boolean> approvalRequired, Map<Environment, Integer> approvals,
        Map<Environment, DeploymentWindow> windows, Map<Environment, TargetKind> targets, List<Integer> canarySteps,
        Optional<Integer> canaryPauseSeconds, Optional<Integer> monitoringWindowSeconds, Rollback rollback) {

    // The schema's ranges (deploy-manifest.schema.json), enforced again where the numbers are read.
    static final int MIN_PORT = 1;
    static final int MAX_PORT = 65_535;
    static final int MIN_REPLICAS = 0;
    static final int MAX_REPLICAS = 1_000;
    static final int MAX_APPROVALS = 10;
    /** Canary pauses, monitoring windows and sustain periods: at most a day. */
    static final int MAX_SECONDS = 86_400;

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

    /**
     * The parts of a manifest tree, already valid against the schema, that the orchestrator acts on.
     * Numbers are read within the schema's ranges and never wrapped ({@code asInt} turns 2^31 into a
     * negative number); what does not fit, and canary steps out of order, are refused here as well,
     * naming the field, so a schema that changes cannot let them through to a saga.
     */
    static Manifest from(JsonNode root) {
        Map<String, Component> components = new LinkedHashMap<>();
        root.path("components").properties().forEach(entry -> {
            JsonNode c = entry.getValue();
            JsonNode deploy = c.path("deploy");
            String at = "/components/" + pointerToken(entry.getKey());
            Integer replicas = integer(deploy, "replicas", at + "/deploy", MIN_REPLICAS, MAX_REPLICAS);
            components.put(entry.getKey(), new Component(entry.getKey(), c.path("enabled").asBoolean(true),
                    text(deploy, "image"), text(deploy, "artifact"), integer(c, "port", at, MIN_PORT, MAX_PORT),
                    text(c, "healthcheck"), replicas == null ? 1 : replicas, text(deploy.path("resources"), "cpu"),
                    text(deploy.path("resources"), "memory"), strategy(text(deploy, "strategy")).orElse(null)));
        });
        JsonNode deployment = root.path("deployment");
        Map<Environment, Boolean> approvalRequired = perEnvironment(deployment.path("approval_required"), (n, env) -> n.asBoolean());
        Map<Environment, Integer> approvals = perEnvironment(deployment.path("approvals"),
                (n, env) -> integer(deployment.path("approvals"), env, "/deployment/approvals", 0, MAX_APPROVALS));
        Map<Environment, DeploymentWindow> windows = perEnvironment(deployment.path("window"),
                (n, env) -> window(n, "/deployment/window/" + env));
        Map<Environment, TargetKind> targets = perEnvironment(deployment.path("targets"),
                (n, env) -> TargetKind.valueOf(n.asText().toUpperCase(Locale.ROOT)));
        JsonNode canary = deployment.path("canary");
        JsonNode rollback = root.path("rollback");
        JsonNode threshold = rollback.path("threshold");
        JsonNode migrations = root.path("database").path("migrations");
        String tool = text(migrations, "tool");
        return new Manifest(root.path("project").path("name").asText(), text(root.path("project"), "client"), components,
                Optional.ofNullable(text(migrations, "path"))
                        .or(() -> root.path("database").isObject() ? Optional.of(defaultMigrationsPath(tool)) : Optional.empty()),
                Optional.ofNullable(tool),
                strategy(text(deployment, "strategy")), approvalRequired, approvals, windows, targets,
                canarySteps(canary.path("steps")),
                Optional.ofNullable(integer(canary, "pause_seconds", "/deployment/canary", 0, MAX_SECONDS)),
                Optional.ofNullable(integer(deployment, "monitoring_window_seconds", "/deployment", 1, MAX_SECONDS)),
                new Rollback(rollback.path("automatic").asBoolean(true), optionalDouble(threshold, "error_rate"),
                        optionalDouble(threshold, "latency_p99"), optionalDouble(threshold, "latency_p95"),
                        integer(threshold, "sustained_seconds", "/rollback/threshold", 1, MAX_SECONDS)));
    }

    /** Where a tool's migrations live when the manifest names no path: Prisma's own folder for prisma (issue 16). */
    static String defaultMigrationsPath(String tool) {
        return "prisma".equals(tool) ? "prisma/migrations" : "database/migrations";
    }

    /** Strictly ascending percentages ending at 100: [100, 5] would shift all traffic twice and compensate twice. */
    private static List<Integer> canarySteps(JsonNode steps) {
        List<Integer> result = new ArrayList<>();
        if (steps.isMissingNode() || steps.isNull()) {
            return result;
        }
        String at = "/deployment/canary/steps";
        if (!steps.isArray() || steps.isEmpty()) {
            throw ManifestException.at(at, "must be a list of traffic percentages ending at 100");
        }
        for (int i = 0; i < steps.size(); i++) {
            int step = integer(steps, i, at, 1, 100);
            if (!result.isEmpty() && step <= result.get(result.size() - 1)) {
                throw ManifestException.at(at + "/" + i, "must be greater than the step before it ("
                        + result.get(result.size() - 1) + "): canary steps are strictly ascending and end at 100");
            }
            result.add(step);
        }
        if (result.get(result.size() - 1) != 100) {
            throw ManifestException.at(at, "must end at 100: a canary that never takes all traffic leaves the release half-deployed");
        }
        return result;
    }

    private static Integer integer(JsonNode parent, String field, String at, int min, int max) {
        return integer(parent.get(field), at + "/" + pointerToken(field), min, max);
    }

    private static int integer(JsonNode array, int index, String at, int min, int max) {
        Integer value = integer(array.get(index), at + "/" + index, min, max);
        if (value == null) {
            throw ManifestException.at(at + "/" + index, "must be an integer " + min + ".." + max);
        }
        return value;
    }

    /** An integer within [min, max], or null when absent; a fraction, text or a number out of range names its field. */
    private static Integer integer(JsonNode n, String pointer, int min, int max) {
        if (n == null || n.isNull() || n.isMissingNode()) {
            return null;
        }
        if (!n.isNumber() || !n.isIntegralNumber() && !n.canConvertToExactIntegral()) {
            throw ManifestException.at(pointer, "must be an integer " + min + ".." + max);
        }
        BigDecimal value = n.decimalValue();
        if (value.compareTo(BigDecimal.valueOf(min)) < 0 || value.compareTo(BigDecimal.valueOf(max)) > 0) {
            throw ManifestException.at(pointer, "must be an integer " + min + ".." + max);
        }
        return value.intValueExact();
    }

    /** A key as one JSON pointer token (RFC 6901). */
    private static String pointerToken(String key) {
        return key.replace("~", "~0").replace("/", "~1");
    }

    /** A strategy as the manifest and the API spell it ({@code blue-green}), or empty for none. */
    public static Optional<Strategy> strategy(String text) {
        if (text == null) {
            return Optional.empty();
        }
        return Optional.of(Strategy.valueOf(text.toUpperCase(Locale.ROOT).replace('-', '_')));
    }

    private static DeploymentWindow window(JsonNode node, String at) {
        Set<DayOfWeek> days = EnumSet.noneOf(DayOfWeek.class);
        node.path("days").forEach(d -> days.add(day(d.asText())));
        ZoneId zone;
        try {
            zone = ZoneId.of(node.path("timezone").asText("UTC"));
        } catch (DateTimeException e) {
            throw ManifestException.at(at + "/timezone",
                    "is not a time zone the time-zone database knows; use an IANA name such as Europe/Berlin or UTC");
        }
        return new DeploymentWindow(days, LocalTime.parse(node.path("start").asText()), LocalTime.parse(node.path("end").asText()),
                zone);
    }

    private static DayOfWeek day(String abbreviation) {
        for (DayOfWeek d : DayOfWeek.values()) {
            if (d.name().toLowerCase(Locale.ROOT).startsWith(abbreviation)) {
                return d;
            }
        }
        throw new IllegalArgumentException(abbreviation);
    }

    private static <T> Map<Environment, T> perEnvironment(JsonNode node, BiFunction<JsonNode, String, T> value) {
        Map<Environment, T> result = new EnumMap<>(Environment.class);
        for (Environment env : Environment.values()) {
            String key = env.name().toLowerCase(Locale.ROOT);
            JsonNode n = node.get(key);
            if (n != null && !n.isNull()) {
                result.put(env, value.apply(n, key));
            }
        }
        return result;
    }

    private static String text(JsonNode node, String field) {
        JsonNode n = node.get(field);
        return n == null || n.isNull() ? null : n.asText();
    }

    private static Double optionalDouble(JsonNode node, String field) {
        JsonNode n = node.get(field);
        return n == null || !n.isNumber() ? null : n.asDouble();
    }
}
