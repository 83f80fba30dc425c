package dev.runway.validator.rules;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;

import dev.runway.validator.source.ProjectSource;

/**
 * Where a component's folder and Dockerfile are. Declared ({@code path}, {@code dockerfile} in the
 * manifest) wins; otherwise by convention, in this order: the SOP monorepo (sop.md 000-4.1:
 * {@code apps/<name>}, {@code services/<name>}), a top-level {@code <name>/} folder, then the
 * repository root when the project has a single server component. Real repositories are laid out
 * in all these ways; the report says which one was used.
 */
final class Layouts {

    /** A file found for a component and by which rule, for the report. */
    record Location(String file, String how) {
    }

    private Layouts() {
    }

    /** The monorepo folders the SOP names for a component, in the order they are looked at. */
    static List<String> conventionalDirs(String component) {
        return List.of("apps/" + component, "services/" + component, component);
    }

    /** A declared path as a repository-relative folder ("" for the root), or empty when absent or unsafe. */
    static Optional<String> declared(JsonNode component, String key) {
        String value = ValidationContext.text(component.path(key));
        if (value == null) {
            return Optional.empty();
        }
        String v = value.strip();
        if (v.equals(".")) {
            return Optional.of("");
        }
        while (v.endsWith("/")) {
            v = v.substring(0, v.length() - 1);
        }
        return ProjectSource.isSafeRelative(v) ? Optional.of(v) : Optional.empty();
    }

    /**
     * The Dockerfile of a server component: declared, else {@code Dockerfile} in its conventional
     * folder, else at the root of a single-component repository; empty when none exists.
     */
    static Optional<Location> dockerfile(ValidationContext ctx, String name, JsonNode component) {
        Optional<String> file = declared(component, "dockerfile");
        if (file.isPresent()) {
            return ctx.source.isFile(file.get()) ? Optional.of(new Location(file.get(), "declared in the manifest")) : Optional.empty();
        }
        Optional<String> dir = declared(component, "path");
        if (dir.isPresent()) {
            String inDir = child(dir.get(), "Dockerfile");
            return ctx.source.isFile(inDir) ? Optional.of(new Location(inDir, "the manifest's path " + display(dir.get()))) : Optional.empty();
        }
        for (String d : conventionalDirs(name)) {
            if (ctx.source.isFile(d + "/Dockerfile")) {
                return Optional.of(new Location(d + "/Dockerfile", "SOP monorepo layout, " + d));
            }
        }
        if (singleServerComponent(ctx) && ctx.source.isFile("Dockerfile")) {
            return Optional.of(new Location("Dockerfile", "single-component repository, at the root"));
        }
        return Optional.empty();
    }

    /** The places {@link #dockerfile} looked at, for the hint of a missing one. */
    static String searched(ValidationContext ctx, String name, JsonNode component) {
        Optional<String> file = declared(component, "dockerfile");
        if (file.isPresent()) {
            return file.get() + " (declared)";
        }
        Optional<String> dir = declared(component, "path");
        if (dir.isPresent()) {
            return child(dir.get(), "Dockerfile") + " (in the declared path)";
        }
        String conventional = String.join(", ", conventionalDirs(name).stream().map(d -> d + "/Dockerfile").toList());
        return singleServerComponent(ctx) ? conventional + ", Dockerfile (single-component repository)" : conventional;
    }

    /** One enabled component runs as a server: the root of the repository can only be that one's. */
    static boolean singleServerComponent(ValidationContext ctx) {
        long servers = 0;
        for (Map.Entry<String, JsonNode> e : ctx.enabledComponents().entrySet()) {
            if (!ValidationContext.isMobile(e.getValue())) {
                servers++;
            }
        }
        return servers == 1;
    }

    /** {@code name} inside {@code dir}, the root being "". */
    static String child(String dir, String name) {
        return dir.isEmpty() ? name : dir + "/" + name;
    }

    static String display(String dir) {
        return dir.isEmpty() ? "." : dir;
    }
}
