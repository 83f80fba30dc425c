package dev.runway.manifest;

import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * What the manifest contract says and JSON Schema cannot: canary steps strictly ascending (the
 * schema says that 100 is among them, so together they end at 100), and window time zones the
 * time-zone database knows. Checked with the schema, so every reader refuses the same manifests.
 * Messages never echo the value: it may be long, and it is the caller's own text anyway.
 */
final class ContractRules {

    private ContractRules() {
    }

    static List<ManifestReader.SchemaError> errors(JsonNode root) {
        List<ManifestReader.SchemaError> errors = new ArrayList<>();
        JsonNode deployment = root.path("deployment");
        canarySteps(deployment.path("canary").path("steps"), errors);
        timeZones(deployment.path("window"), errors);
        return errors;
    }

    /** [100, 5] would shift traffic to 100 % twice (and compensate twice); [50, 25] would move traffic back. */
    private static void canarySteps(JsonNode steps, List<ManifestReader.SchemaError> errors) {
        if (!steps.isArray()) {
            return;
        }
        for (int i = 1; i < steps.size(); i++) {
            JsonNode before = steps.get(i - 1);
            JsonNode step = steps.get(i);
            // Wrong types and ranges are the schema's errors; only the order of numbers is judged here.
            if (before.isNumber() && step.isNumber() && step.decimalValue().compareTo(before.decimalValue()) <= 0) {
                errors.add(new ManifestReader.SchemaError("/deployment/canary/steps/" + i,
                        "must be greater than the step before it (" + before.asText()
                                + "): canary steps are strictly ascending and end at 100"));
            }
        }
    }

    private static void timeZones(JsonNode windows, List<ManifestReader.SchemaError> errors) {
        for (Map.Entry<String, JsonNode> window : windows.properties()) {
            JsonNode zone = window.getValue().path("timezone");
            if (window.getKey().startsWith("x-") || !zone.isTextual()) {
                continue;
            }
            try {
                ZoneId.of(zone.textValue());
            } catch (DateTimeException e) {
                errors.add(new ManifestReader.SchemaError("/deployment/window/" + pointerToken(window.getKey()) + "/timezone",
                        "is not a time zone the time-zone database knows; use an IANA name such as Europe/Berlin or UTC"));
            }
        }
    }

    /** A key as one JSON pointer token (RFC 6901). */
    private static String pointerToken(String key) {
        return key.replace("~", "~0").replace("/", "~1");
    }
}
