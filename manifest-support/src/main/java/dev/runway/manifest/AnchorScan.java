package dev.runway.manifest;

import java.io.StringReader;

import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.events.AliasEvent;
import org.yaml.snakeyaml.events.Event;
import org.yaml.snakeyaml.events.NodeEvent;

/**
 * Finds the first YAML alias or anchor, from SnakeYAML's events. Jackson's YAML parser hands an
 * alias out as a plain string and does not report anchors on scalars, so it cannot be asked.
 */
final class AnchorScan {

    private AnchorScan() {
    }

    /** Why the text may not be used, or null when it has neither aliases nor anchors. */
    static String refusal(String text, LoaderOptions limits) {
        for (Event event : new Yaml(limits).parse(new StringReader(text))) {
            if (event instanceof AliasEvent alias) {
                return "YAML aliases (*" + shortened(alias.getAnchor()) + ") are not allowed in a deploy manifest" + line(event);
            }
            if (event instanceof NodeEvent node && node.getAnchor() != null) {
                return "YAML anchors (&" + shortened(node.getAnchor()) + ") are not allowed in a deploy manifest" + line(event);
            }
        }
        return null;
    }

    private static String shortened(String anchor) {
        return anchor.length() > 40 ? anchor.substring(0, 40) : anchor;
    }

    private static String line(Event event) {
        return event.getStartMark() == null ? "" : " (line " + (event.getStartMark().getLine() + 1) + ")";
    }
}
