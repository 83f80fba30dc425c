package dev.runway.validator.rules;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;

import dev.runway.events.CheckStatus;
import dev.runway.events.Severity;
import dev.runway.events.Strategy;
import dev.runway.manifest.ManifestReader;
import dev.runway.validator.source.ProjectSource;

/** One validation run: the project, the request, what earlier phases learnt, and the checks so far. */
final class ValidationContext {

    final ProjectSource source;
    final ValidationRequest request;
    final ManifestReader reader;
    private final List<Check> checks = new ArrayList<>();

    /** The parsed manifest (even if it breaks the schema), or null when it could not be read. */
    JsonNode manifest;
    String manifestFile;

    ValidationContext(ProjectSource source, ValidationRequest request, ManifestReader reader) {
        this.source = source;
        this.request = request;
        this.reader = reader;
    }

    List<Check> checks() {
        return checks;
    }

    void pass(Rule rule, String file, String message) {
        checks.add(new Check(rule, rule.severity(), CheckStatus.PASSED, file, message, null));
    }

    void fail(Rule rule, String file, String message, String hint) {
        fail(rule, rule.severity(), file, message, hint);
    }

    void fail(Rule rule, Severity severity, String file, String message, String hint) {
        CheckStatus status = severity == Severity.ERROR ? CheckStatus.FAILED : CheckStatus.WARNED;
        checks.add(new Check(rule, severity, status, file, message, hint));
    }

    void skip(Rule rule, String file, String message) {
        checks.add(new Check(rule, rule.severity(), CheckStatus.SKIPPED, file, message, null));
    }

    /** Strict UTF-8 text of a file; empty when absent. Malformed bytes are reported by the caller. */
    Optional<String> text(String path, int maxBytes) throws CharacterCodingException {
        Optional<byte[]> bytes = source.read(path, maxBytes);
        if (bytes.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(utf8(bytes.get()));
    }

    static String utf8(byte[] bytes) throws CharacterCodingException {
        return StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT)
                .decode(ByteBuffer.wrap(bytes)).toString();
    }

    /** development, staging, uat or production: the names config files use. */
    String environmentName() {
        return request.environment().name().toLowerCase(Locale.ROOT);
    }

    /** Components of the manifest by name, in manifest order (empty when there are none). */
    Map<String, JsonNode> components() {
        Map<String, JsonNode> result = new LinkedHashMap<>();
        if (manifest != null && manifest.path("components").isObject()) {
            manifest.path("components").properties().forEach(e -> result.put(e.getKey(), e.getValue()));
        }
        return result;
    }

    Map<String, JsonNode> enabledComponents() {
        Map<String, JsonNode> result = new LinkedHashMap<>();
        components().forEach((name, node) -> {
            if (isEnabled(node)) {
                result.put(name, node);
            }
        });
        return result;
    }

    /** Enabled unless it says {@code enabled: false}; a malformed value is the schema's error, not a way to switch checks off. */
    static boolean isEnabled(JsonNode component) {
        JsonNode enabled = component.path("enabled");
        return !(enabled.isBoolean() && !enabled.booleanValue());
    }

    /** An app-store build (platforms without web): built per platform, not run in a container. */
    static boolean isMobile(JsonNode component) {
        JsonNode platforms = component.path("platforms");
        if (!platforms.isArray() || platforms.isEmpty()) {
            return false;
        }
        for (JsonNode p : platforms) {
            if ("web".equals(p.asText())) {
                return false;
            }
        }
        return true;
    }

    /** The request's strategy, else the manifest's, else blue-green (the SOP default). */
    Strategy strategy() {
        if (request.strategy() != null) {
            return request.strategy();
        }
        String declared = manifest == null ? "" : manifest.path("deployment").path("strategy").asText("");
        return switch (declared) {
            case "canary" -> Strategy.CANARY;
            case "rolling" -> Strategy.ROLLING;
            default -> Strategy.BLUE_GREEN;
        };
    }

    static String text(JsonNode node) {
        return node != null && node.isTextual() && !node.asText().isBlank() ? node.asText() : null;
    }
}
