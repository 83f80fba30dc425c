package dev.runway.notifier.routing;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;

import dev.runway.manifest.ManifestReader;

/**
 * {@code deployment.notifications} of a deploy manifest (YAML or JSON text, as DeployRequested
 * carries it). Empty values mean "the manifest said nothing"; the environment's defaults apply.
 */
public record ManifestNotifications(Optional<String> slack, List<String> emails, List<String> webhooks) {

    /** The contract's bounded reader: the notifier accepts exactly the manifests the orchestrator and validator do. */
    private static final ManifestReader READER = new ManifestReader();

    public static final ManifestNotifications NONE = new ManifestNotifications(Optional.empty(), List.of(), List.of());

    /**
     * Reads the routing part of a manifest. The validator owns manifest correctness, so anything
     * unreadable here yields {@link #NONE} (defaults) rather than a lost notification.
     */
    public static ManifestNotifications parse(String manifest) {
        if (manifest == null || manifest.isBlank()) {
            return NONE;
        }
        ManifestReader.Parsed parsed = READER.parse(manifest);
        if (!parsed.ok()) {
            return NONE;
        }
        JsonNode n = parsed.root().path("deployment").path("notifications");
        if (!n.isObject()) {
            return NONE;
        }
        Optional<String> slack = n.path("slack").isTextual() && !n.path("slack").asText().isBlank()
                ? Optional.of(n.path("slack").asText().trim())
                : Optional.empty();
        return new ManifestNotifications(slack, strings(n.path("email")), strings(n.path("webhooks")));
    }

    private static List<String> strings(JsonNode node) {
        List<String> out = new ArrayList<>();
        if (node.isTextual()) {
            out.add(node.asText().trim());
        } else if (node.isArray()) {
            node.forEach(item -> {
                if (item.isTextual() && !item.asText().isBlank() && !out.contains(item.asText().trim())) {
                    out.add(item.asText().trim());
                }
            });
        }
        return List.copyOf(out);
    }
}
