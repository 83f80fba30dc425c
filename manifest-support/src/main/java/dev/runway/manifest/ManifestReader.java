package dev.runway.manifest;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.yaml.snakeyaml.LoaderOptions;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.PathType;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;

/**
 * The one reader of deploy manifests, with one set of limits, for every part of Runway that reads
 * them (the orchestrator at the API, the validator, the notifier, the CLI): a manifest accepted by
 * one is accepted by all. It reads defensively and checks against the contract's JSON Schema and
 * the contract's rules that JSON Schema cannot state ({@link ContractRules}). The YAML parser is
 * bounded (size, nesting, string and number length, one document, no duplicate keys, no control
 * characters in values and keys) and refuses aliases and anchors: Jackson does not expand aliases, so an aliased manifest would be read
 * wrongly, a manifest has no use for them, and refusing them closes the door on alias bombs.
 */
public final class ManifestReader {

    public static final String SCHEMA_RESOURCE = "runway/deploy-manifest.schema.json";
    /** Largest manifest accepted; the SOP example is about 2 KB. */
    public static final int MAX_BYTES = 256 * 1024;
    public static final int MAX_DEPTH = 40;
    public static final int MAX_STRING = 16 * 1024;
    /** Longest number, in characters; a longer numeral is refused, or read as text past 1,024 characters. */
    public static final int MAX_NUMBER = 64;
    /** Most schema errors reported ({@link #check}); the rest are counted. */
    public static final int MAX_SCHEMA_ERRORS = 25;

    /** Parsed manifest, or why it could not be read. */
    public record Parsed(JsonNode root, String error) {
        public boolean ok() {
            return root != null;
        }
    }

    /** A schema error: the JSON pointer of the value it is about ("" for the whole manifest) and what is wrong. */
    public record SchemaError(String pointer, String message) {
    }

    /** The first {@link #MAX_SCHEMA_ERRORS} schema errors in pointer order, and how many there are in all. */
    public record SchemaCheck(List<SchemaError> errors, int total) {
        public boolean ok() {
            return total == 0;
        }
    }

    private final LoaderOptions limits;
    private final ObjectMapper yaml;
    private final JsonSchema schema;

    public ManifestReader() {
        limits = new LoaderOptions();
        limits.setCodePointLimit(MAX_BYTES);
        limits.setNestingDepthLimit(MAX_DEPTH);
        limits.setMaxAliasesForCollections(0);
        limits.setAllowDuplicateKeys(false);
        limits.setAllowRecursiveKeys(false);
        YAMLFactory factory = YAMLFactory.builder()
                .loaderOptions(limits)
                .streamReadConstraints(StreamReadConstraints.builder()
                        .maxNestingDepth(MAX_DEPTH)
                        .maxStringLength(MAX_STRING)
                        .maxNumberLength(MAX_NUMBER)
                        .maxDocumentLength(MAX_BYTES)
                        .build())
                .build();
        this.yaml = YAMLMapper.builder(factory).enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();
        this.schema = loadSchema();
    }

    private static JsonSchema loadSchema() {
        try (InputStream in = ManifestReader.class.getClassLoader().getResourceAsStream(SCHEMA_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(SCHEMA_RESOURCE + " is missing from the classpath (runway-schemas jar)");
            }
            JsonNode node = new ObjectMapper().readTree(in);
            SchemaValidatorsConfig config = SchemaValidatorsConfig.builder()
                    .formatAssertionsEnabled(true)
                    .pathType(PathType.JSON_POINTER)
                    .build();
            return JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012).getSchema(node, config);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Parses YAML or JSON text (JSON is YAML) into a tree, within the limits above. */
    public Parsed parse(String text) {
        if (text.length() > MAX_BYTES) {
            return new Parsed(null, "manifest is larger than " + MAX_BYTES + " bytes");
        }
        try (JsonParser parser = yaml.createParser(text)) {
            JsonNode root = parser.nextToken() == null ? null : yaml.readTree(parser);
            if (root == null || root.isMissingNode() || root.isNull()) {
                return new Parsed(null, "manifest is empty");
            }
            if (!root.isObject()) {
                return new Parsed(null, "manifest must be a mapping at the top, found " + root.getNodeType().name().toLowerCase(Locale.ROOT));
            }
            if (parser.nextToken() != null) {
                return new Parsed(null, "manifest holds more than one YAML document");
            }
            String anchored = AnchorScan.refusal(text, limits);
            if (anchored != null) {
                return new Parsed(null, "invalid YAML: " + anchored);
            }
            String badText = badText(root);
            if (badText != null) {
                return new Parsed(null, badText);
            }
            return new Parsed(root, null);
        } catch (JsonProcessingException e) {
            return new Parsed(null, "invalid YAML: " + firstLine(e.getOriginalMessage()) + location(e));
        } catch (IOException | RuntimeException e) {
            // SnakeYAML reports its own limits (code points, nesting) as runtime exceptions.
            return new Parsed(null, "invalid YAML: " + firstLine(String.valueOf(e.getMessage())));
        } catch (StackOverflowError e) {
            return new Parsed(null, "invalid YAML: nested too deeply");
        }
    }

    /**
     * The YAML parser does not apply Jackson's string-length limit, so it is checked on the tree:
     * no manifest value needs more than {@link #MAX_STRING} characters. Nor does one need a control
     * character other than tab and line breaks; a double-quoted "\0" would otherwise carry NUL into
     * names that are stored (PostgreSQL's text refuses it) and shown.
     */
    private static String badText(JsonNode node) {
        if (node.isTextual()) {
            String problem = badText(node.textValue(), "value");
            if (problem != null) {
                return problem;
            }
        }
        for (Map.Entry<String, JsonNode> e : node.properties()) {
            String problem = badText(e.getKey(), "key");
            if (problem == null) {
                problem = badText(e.getValue());
            }
            if (problem != null) {
                return problem;
            }
        }
        if (node.isArray()) {
            for (JsonNode item : node) {
                String inner = badText(item);
                if (inner != null) {
                    return inner;
                }
            }
        }
        return null;
    }

    private static String badText(String text, String what) {
        if (text.length() > MAX_STRING) {
            return "a " + what + " is longer than " + MAX_STRING + " characters";
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if ((c < 0x20 && c != '\t' && c != '\n' && c != '\r') || c == 0x7f) {
                return String.format("a %s holds a control character (U+%04X); only tabs and line breaks are allowed", what, (int) c);
            }
        }
        return null;
    }

    /**
     * Every schema error's message ("pointer: what is wrong"), the contract's rules beyond JSON Schema
     * included ({@link ContractRules}), sorted; callers show at most {@link #MAX_SCHEMA_ERRORS}.
     */
    public List<String> schemaErrors(JsonNode root) {
        List<String> errors = new ArrayList<>();
        for (ValidationMessage m : schema.validate(root)) {
            errors.add(m.getMessage());
        }
        for (SchemaError e : ContractRules.errors(root)) {
            errors.add(e.pointer() + ": " + e.message());
        }
        errors.sort(null);
        return errors;
    }

    /**
     * The schema errors, and those of the contract's rules beyond JSON Schema ({@link ContractRules}),
     * with the pointer of each value they are about, at most {@link #MAX_SCHEMA_ERRORS}.
     */
    public SchemaCheck check(JsonNode root) {
        List<SchemaError> errors = new ArrayList<>();
        for (ValidationMessage m : schema.validate(root)) {
            errors.add(new SchemaError(m.getInstanceLocation() == null ? "" : m.getInstanceLocation().toString(), m.getMessage()));
        }
        errors.addAll(ContractRules.errors(root));
        errors.sort(Comparator.comparing(SchemaError::pointer).thenComparing(SchemaError::message));
        return new SchemaCheck(List.copyOf(errors.subList(0, Math.min(errors.size(), MAX_SCHEMA_ERRORS))), errors.size());
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "unreadable";
        }
        String line = s.lines().findFirst().orElse(s).trim();
        return line.length() > 300 ? line.substring(0, 300) + "…" : line;
    }

    private static String location(JsonProcessingException e) {
        return e.getLocation() != null && e.getLocation().getLineNr() > 0 ? " (line " + e.getLocation().getLineNr() + ")" : "";
    }
}
