package dev.runway.validator.rules;

import java.nio.charset.CharacterCodingException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;

import dev.runway.events.Severity;
import dev.runway.manifest.ManifestReader;
import dev.runway.validator.source.FileTooLargeException;

/** Phase 2: the manifest is readable YAML, valid against the schema, and complete for what is enabled. */
final class ManifestRules implements Validator.PhaseRules {

    static final String FILE = "deploy.manifest.yaml";
    static final String INLINE = "(inline manifest)";
    private static final List<String> BUILT_PLATFORMS = List.of("android", "ios", "macos", "windows", "linux");

    @Override
    public void apply(ValidationContext ctx) {
        String text = read(ctx);
        if (text == null) {
            skipRest(ctx, "manifest unreadable");
            return;
        }
        ManifestReader.Parsed parsed = ctx.reader.parse(text);
        if (!parsed.ok()) {
            ctx.fail(Rule.MANIFEST_YAML, ctx.manifestFile, "Deployment manifest is invalid: " + parsed.error(),
                    "fix the YAML; anchors, aliases and several documents are not accepted");
            skipRest(ctx, "manifest unreadable");
            return;
        }
        ctx.manifest = parsed.root();
        ctx.pass(Rule.MANIFEST_YAML, ctx.manifestFile, "Deployment manifest is valid YAML");
        schema(ctx);
        projectName(ctx);
        components(ctx);
    }

    private static String read(ValidationContext ctx) {
        if (ctx.request.inlineManifest() != null) {
            ctx.manifestFile = INLINE;
            return ctx.request.inlineManifest();
        }
        ctx.manifestFile = FILE;
        try {
            Optional<String> text = ctx.text(FILE, ManifestReader.MAX_BYTES);
            if (text.isEmpty()) {
                ctx.fail(Rule.MANIFEST_YAML, FILE, "Deployment manifest missing: " + FILE, "add deploy.manifest.yaml (sop.md 000-5.1)");
                return null;
            }
            return text.get();
        } catch (FileTooLargeException e) {
            ctx.fail(Rule.MANIFEST_YAML, FILE, "Deployment manifest is too large (" + e.size() + " bytes, limit "
                    + ManifestReader.MAX_BYTES + ")", null);
        } catch (CharacterCodingException e) {
            ctx.fail(Rule.MANIFEST_YAML, FILE, "Deployment manifest is not UTF-8 text", "save it as UTF-8");
        }
        return null;
    }

    private static void skipRest(ValidationContext ctx, String why) {
        for (Rule rule : List.of(Rule.MANIFEST_SCHEMA, Rule.PROJECT_NAME, Rule.COMPONENTS_ENABLED, Rule.REQUESTED_COMPONENTS,
                Rule.COMPONENT_BUILD, Rule.COMPONENT_HEALTHCHECK)) {
            ctx.skip(rule, ctx.manifestFile, "Not checked: " + why);
        }
    }

    private static void schema(ValidationContext ctx) {
        List<String> errors = ctx.reader.schemaErrors(ctx.manifest);
        if (errors.isEmpty()) {
            ctx.pass(Rule.MANIFEST_SCHEMA, ctx.manifestFile, "Manifest is valid against " + ManifestReader.SCHEMA_RESOURCE);
            return;
        }
        errors.stream().limit(ManifestReader.MAX_SCHEMA_ERRORS).forEach(error -> ctx.fail(Rule.MANIFEST_SCHEMA, ctx.manifestFile,
                "Manifest schema error: " + error, "see the field's description in " + ManifestReader.SCHEMA_RESOURCE));
        if (errors.size() > ManifestReader.MAX_SCHEMA_ERRORS) {
            ctx.fail(Rule.MANIFEST_SCHEMA, ctx.manifestFile,
                    "... and " + (errors.size() - ManifestReader.MAX_SCHEMA_ERRORS) + " more schema errors", null);
        }
    }

    private static void projectName(ValidationContext ctx) {
        String name = ValidationContext.text(ctx.manifest.path("project").path("name"));
        if (name != null) {
            ctx.pass(Rule.PROJECT_NAME, ctx.manifestFile, "Project name defined: " + name);
        } else {
            ctx.fail(Rule.PROJECT_NAME, ctx.manifestFile, "Project name not defined in manifest", "set project.name");
        }
    }

    private static void components(ValidationContext ctx) {
        Map<String, JsonNode> all = ctx.components();
        Map<String, JsonNode> enabled = ctx.enabledComponents();
        if (enabled.isEmpty()) {
            ctx.fail(Rule.COMPONENTS_ENABLED, ctx.manifestFile,
                    all.isEmpty() ? "Manifest declares no components" : "No component is enabled", "enable at least one component");
        } else {
            ctx.pass(Rule.COMPONENTS_ENABLED, ctx.manifestFile, "Enabled components: " + String.join(", ", enabled.keySet()));
        }
        List<String> requested = ctx.request.components();
        if (requested.isEmpty() || requested.contains("all")) {
            ctx.pass(Rule.REQUESTED_COMPONENTS, ctx.manifestFile, "Deploying all enabled components");
        } else {
            for (String name : requested) {
                if (enabled.containsKey(name)) {
                    ctx.pass(Rule.REQUESTED_COMPONENTS, ctx.manifestFile, "Requested component is enabled: " + name);
                } else {
                    ctx.fail(Rule.REQUESTED_COMPONENTS, ctx.manifestFile, "Requested component "
                            + (all.containsKey(name) ? "is disabled: " : "is not in the manifest: ") + name,
                            "request one of: " + String.join(", ", enabled.keySet()));
                }
            }
        }
        enabled.forEach((name, component) -> {
            build(ctx, name, component);
            healthcheck(ctx, name, component);
        });
    }

    private static void build(ValidationContext ctx, String name, JsonNode component) {
        JsonNode build = component.path("build");
        if (ValidationContext.isMobile(component)) {
            List<String> missing = new ArrayList<>();
            for (JsonNode platform : component.path("platforms")) {
                String p = platform.asText();
                if (BUILT_PLATFORMS.contains(p) && ValidationContext.text(build.path(p)) == null
                        && ValidationContext.text(build.path("command")) == null) {
                    missing.add(p);
                }
            }
            if (missing.isEmpty()) {
                ctx.pass(Rule.COMPONENT_BUILD, ctx.manifestFile, "Component " + name + " has a build for every platform");
            } else {
                ctx.fail(Rule.COMPONENT_BUILD, ctx.manifestFile, "Component " + name + " has no build command for: "
                        + String.join(", ", missing), "add components." + name + ".build." + missing.get(0));
            }
            return;
        }
        if (ValidationContext.text(build.path("command")) != null || ValidationContext.text(component.path("runtime")) != null) {
            ctx.pass(Rule.COMPONENT_BUILD, ctx.manifestFile, "Component " + name + " says how it is built");
        } else {
            ctx.fail(Rule.COMPONENT_BUILD, ctx.manifestFile, "Component " + name + " has neither build.command nor runtime",
                    "add components." + name + ".build.command (e.g. npm run build) or runtime (e.g. node)");
        }
    }

    private static void healthcheck(ValidationContext ctx, String name, JsonNode component) {
        if (ValidationContext.isMobile(component)) {
            return;
        }
        boolean hasPort = !component.path("port").isMissingNode() && !component.path("port").isNull();
        boolean hasHealth = ValidationContext.text(component.path("healthcheck")) != null;
        if (hasHealth) {
            ctx.pass(Rule.COMPONENT_HEALTHCHECK, ctx.manifestFile, "Component " + name + " has a healthcheck");
        } else if (hasPort) {
            ctx.fail(Rule.COMPONENT_HEALTHCHECK, ctx.manifestFile, "Component " + name + " listens on a port but has no healthcheck",
                    "add components." + name + ".healthcheck, e.g. /health (sop.md 000-1.2: failed health checks block)");
        } else {
            ctx.fail(Rule.COMPONENT_HEALTHCHECK, Severity.WARNING, ctx.manifestFile, "Component " + name
                    + " has no port and no healthcheck: its health cannot be verified after deployment", null);
        }
    }

    @Override
    public Rule backstop() {
        return Rule.MANIFEST_YAML;
    }
}
