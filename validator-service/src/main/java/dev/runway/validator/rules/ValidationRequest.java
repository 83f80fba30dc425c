package dev.runway.validator.rules;

import java.util.List;

import dev.runway.events.Environment;
import dev.runway.events.Strategy;

/**
 * What is validated besides the files: the target environment and what the request carries.
 *
 * @param version requested version; {@code null} = none requested (the command without --release),
 *        blank = requested but empty (an error)
 * @param strategy requested strategy, or {@code null} to take the manifest's
 * @param components requested component names, or {@code all}; empty = all
 * @param inlineManifest manifest text sent with the request; it replaces the committed one when present
 * @param ciEvidence reference of the passed CI run, or {@code null}
 * @param scanReport vulnerability scan report attached to the request (JSON text), or {@code null}
 */
public record ValidationRequest(Environment environment, String version, Strategy strategy, List<String> components,
        String inlineManifest, String ciEvidence, String scanReport) {

    public ValidationRequest {
        components = components == null ? List.of() : List.copyOf(components);
    }

    public static ValidationRequest of(Environment environment) {
        return new ValidationRequest(environment, null, null, List.of(), null, null, null);
    }

    public ValidationRequest withVersion(String v) {
        return new ValidationRequest(environment, v, strategy, components, inlineManifest, ciEvidence, scanReport);
    }

    public ValidationRequest withCiEvidence(String evidence) {
        return new ValidationRequest(environment, version, strategy, components, inlineManifest, evidence, scanReport);
    }

    public ValidationRequest withScanReport(String report) {
        return new ValidationRequest(environment, version, strategy, components, inlineManifest, ciEvidence, report);
    }

    public ValidationRequest withInlineManifest(String manifest) {
        return new ValidationRequest(environment, version, strategy, components, manifest, ciEvidence, scanReport);
    }

    public ValidationRequest withComponents(List<String> names) {
        return new ValidationRequest(environment, version, strategy, names, inlineManifest, ciEvidence, scanReport);
    }

    public ValidationRequest withStrategy(Strategy s) {
        return new ValidationRequest(environment, version, s, components, inlineManifest, ciEvidence, scanReport);
    }
}
