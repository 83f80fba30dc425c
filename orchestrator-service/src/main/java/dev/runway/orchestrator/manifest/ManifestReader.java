package dev.runway.orchestrator.manifest;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.DayOfWeek;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

import org.yaml.snakeyaml.LoaderOptions;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;

import dev.runway.events.Environment;
import dev.runway.events.Strategy;
import dev.runway.events.TargetKind;

/**
 * Reads a deploy manifest (YAML or JSON text, or an already-parsed JSON tree) and checks it
 * against {@code runway/deploy-manifest.schema.json} from the schemas jar. Thread-safe.
 */
public final class ManifestReader {

    private static final String SCHEMA = "runway/deploy-manifest.schema.json";

    private final ObjectMapper yaml;
    private final JsonSchema schema;

    public ManifestReader() {
        LoaderOptions options = new LoaderOptions();
        // A manifest is a few KB: refuse alias bombs and deep nesting before they cost memory.
        options.setMaxAliasesForCollections(20);
        options.setNestingDepthLimit(40);
        options.setCodePointLimit(256 * 1024);
        options.setAllowDuplicateKeys(false);
        YAMLFactory factory = YAMLFactory.builder().loaderOptions(options)
                .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(40).build()).build();
        this.yaml = new ObjectMapper(factory);
        try (InputStream in = Thread.currentThread().getContextClassLoader().getResourceAsStream(SCHEMA)) {
            if (in == null) {
                throw new IllegalStateException(SCHEMA + " missing from the classpath (runway-schemas jar)");
            }
            this.schema = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012).getSchema(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Parses YAML (JSON is YAML too) and validates it. */
    public Manifest read(String text) {
        JsonNode tree;
        try {
            tree = yaml.readTree(text);
        } catch (JsonProcessingException e) {
            String message = e.getOriginalMessage();
            throw new ManifestException(List.of(new ManifestException.Problem("/manifest",
                    "not valid YAML or JSON: " + (message == null ? e.getClass().getSimpleName() : firstLine(message)))));
        } catch (IOException | RuntimeException e) {
            // SnakeYAML signals its limits (aliases, depth, size) with runtime exceptions.
            throw new ManifestException(List.of(new ManifestException.Problem("/manifest",
                    "not accepted: " + firstLine(String.valueOf(e.getMessage())))));
        }
        return read(tree);
    }

    public Manifest read(JsonNode tree) {
        if (tree == null || !tree.isObject()) {
            throw new ManifestException(List.of(new ManifestException.Problem("/manifest", "must be a mapping")));
        }
        List<ValidationMessage> messages = new ArrayList<>(schema.validate(tree));
        if (!messages.isEmpty()) {
            messages.sort(Comparator.comparing(m -> String.valueOf(m.getInstanceLocation())));
            List<ManifestException.Problem> problems = messages.stream().limit(20)
                    .map(m -> new ManifestException.Problem("/manifest" + pointer(m), m.getMessage())).toList();
            throw new ManifestException(problems);
        }
        return toManifest(tree);
    }

    private static String pointer(ValidationMessage m) {
        String location = m.getInstanceLocation() == null ? "" : m.getInstanceLocation().toString();
        // networknt reports "$.components.api.port"; users read JSON pointers.
        if (location.startsWith("$")) {
            location = location.substring(1).replace('.', '/').replaceAll("\\[(\\d+)]", "/$1");
        }
        return location;
    }

    private static String firstLine(String s) {
        int nl = s.indexOf('\n');
        String line = nl < 0 ? s : s.substring(0, nl);
        return line.length() > 200 ? line.substring(0, 200) + "…" : line;
    }

    private static Manifest toManifest(JsonNode root) {
        Map<String, Manifest.Component> components = new LinkedHashMap<>();
        root.path("components").fields().forEachRemaining(entry -> {
            JsonNode c = entry.getValue();
            JsonNode deploy = c.path("deploy");
            components.put(entry.getKey(), new Manifest.Component(entry.getKey(), c.path("enabled").asBoolean(true),
                    text(deploy, "image"), text(deploy, "artifact"), c.has("port") ? c.get("port").asInt() : null,
                    text(c, "healthcheck"), deploy.path("replicas").asInt(1), text(deploy.path("resources"), "cpu"),
                    text(deploy.path("resources"), "memory"), strategy(text(deploy, "strategy")).orElse(null)));
        });
        JsonNode deployment = root.path("deployment");
        Map<Environment, Boolean> approvalRequired = perEnvironment(deployment.path("approval_required"), JsonNode::asBoolean);
        Map<Environment, Integer> approvals = perEnvironment(deployment.path("approvals"), JsonNode::asInt);
        Map<Environment, DeploymentWindow> windows = perEnvironment(deployment.path("window"), ManifestReader::window);
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
                new Manifest.Rollback(rollback.path("automatic").asBoolean(true), optionalDouble(threshold, "error_rate"),
                        optionalDouble(threshold, "latency_p99"), optionalDouble(threshold, "latency_p95"),
                        optionalInt(threshold, "sustained_seconds").orElse(null)));
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

    public static Optional<Strategy> strategy(String text) {
        if (text == null) {
            return Optional.empty();
        }
        return Optional.of(Strategy.valueOf(text.toUpperCase(Locale.ROOT).replace('-', '_')));
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
