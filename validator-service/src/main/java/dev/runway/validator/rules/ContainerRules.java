package dev.runway.validator.rules;

import java.nio.charset.CharacterCodingException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;

import dev.runway.events.Severity;
import dev.runway.validator.source.FileTooLargeException;

/**
 * Phase 8: every enabled server component has a Dockerfile (declared in the manifest, where sop.md 000-4.1
 * puts it, or at the root of a single-component repository: {@link Layouts}), and every
 * Dockerfile starts from a pinned base image (immutability, sop.md 000-1.1). Building images is the
 * executor's job; this phase checks what can be checked without a Docker engine.
 */
final class ContainerRules implements Validator.PhaseRules {

    static final int MAX_DOCKERFILE_BYTES = 256 * 1024;

    @Override
    public void apply(ValidationContext ctx) {
        dockerfiles(ctx);
        baseImages(ctx);
    }

    private static void dockerfiles(ValidationContext ctx) {
        if (ctx.manifest == null) {
            ctx.skip(Rule.DOCKERFILE, null, "Not checked: manifest unreadable");
            return;
        }
        boolean any = false;
        for (Map.Entry<String, JsonNode> e : ctx.enabledComponents().entrySet()) {
            if (ValidationContext.isMobile(e.getValue())) {
                continue;
            }
            any = true;
            String name = e.getKey();
            Optional<Layouts.Location> found = Layouts.dockerfile(ctx, name, e.getValue());
            if (found.isPresent()) {
                ctx.pass(Rule.DOCKERFILE, found.get().file(), "Dockerfile for " + name + ": " + found.get().file() + " (" + found.get().how() + ")");
            } else {
                ctx.fail(Rule.DOCKERFILE, null, "No Dockerfile for enabled component " + name + " (looked at "
                        + Layouts.searched(ctx, name, e.getValue()) + ")",
                        "add apps/" + name + "/Dockerfile or services/" + name + "/Dockerfile, or name it in the manifest (components."
                                + name + ".dockerfile)");
            }
        }
        if (!any) {
            ctx.skip(Rule.DOCKERFILE, null, "No enabled server component");
        }
    }

    private static void baseImages(ValidationContext ctx) {
        List<String> dockerfiles = ctx.source.files().stream().filter(ContainerRules::isDockerfile).toList();
        if (dockerfiles.isEmpty()) {
            ctx.skip(Rule.BASE_IMAGE, null, "No Dockerfile");
            return;
        }
        for (String path : dockerfiles) {
            String text;
            try {
                text = ctx.text(path, MAX_DOCKERFILE_BYTES).orElse("");
            } catch (FileTooLargeException e) {
                ctx.fail(Rule.BASE_IMAGE, Severity.ERROR, path, "Dockerfile too large to read (" + e.size() + " bytes)", null);
                continue;
            } catch (CharacterCodingException e) {
                ctx.fail(Rule.BASE_IMAGE, Severity.ERROR, path, "Dockerfile is not UTF-8 text", null);
                continue;
            }
            lint(ctx, path, text);
        }
    }

    static boolean isDockerfile(String path) {
        String name = DependencyRules.baseName(path);
        return !path.contains("node_modules/") && (name.equals("Dockerfile") || name.startsWith("Dockerfile.") || name.endsWith(".Dockerfile"));
    }

    private static void lint(ValidationContext ctx, String path, String text) {
        Set<String> stages = new HashSet<>();
        List<String> unpinned = new ArrayList<>();
        int froms = 0;
        for (String line : text.replace("\\\r\n", " ").replace("\\\n", " ").split("\r?\n")) {
            String[] words = line.strip().split("\\s+");
            if (words.length < 2 || !words[0].equalsIgnoreCase("FROM")) {
                continue;
            }
            froms++;
            int i = 1;
            while (i < words.length && words[i].startsWith("--")) {
                i++;
            }
            if (i >= words.length) {
                continue;
            }
            String image = words[i];
            if (i + 2 < words.length && words[i + 1].equalsIgnoreCase("AS")) {
                stages.add(words[i + 2].toLowerCase(Locale.ROOT));
            }
            if (!pinned(image, stages)) {
                unpinned.add(image);
            }
        }
        if (froms == 0) {
            ctx.fail(Rule.BASE_IMAGE, Severity.ERROR, path, "Dockerfile has no FROM instruction: " + path, "start it with FROM <image>:<tag>");
        } else if (!unpinned.isEmpty()) {
            ctx.fail(Rule.BASE_IMAGE, Severity.WARNING, path, "Base image not pinned in " + path + ": " + String.join(", ", unpinned),
                    "use a version tag or digest, e.g. node:20.11-alpine");
        } else {
            ctx.pass(Rule.BASE_IMAGE, path, "Dockerfile valid: " + path);
        }
    }

    private static boolean pinned(String image, Set<String> stages) {
        String lower = image.toLowerCase(Locale.ROOT);
        if (lower.equals("scratch") || stages.contains(lower) || image.contains("${") || image.contains("$") || image.contains("@sha256:")) {
            return true;
        }
        int slash = image.lastIndexOf('/');
        int colon = image.lastIndexOf(':');
        if (colon <= slash) {
            return false;
        }
        return !image.substring(colon + 1).equals("latest");
    }

    @Override
    public Rule backstop() {
        return Rule.DOCKERFILE;
    }
}
