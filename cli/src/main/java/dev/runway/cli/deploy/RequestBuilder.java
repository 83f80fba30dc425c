package dev.runway.cli.deploy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.runway.cli.UsageException;
import dev.runway.cli.api.Json;
import dev.runway.manifest.ManifestReader;

/**
 * Builds the body of {@code POST /deployments} (orchestrator api/DeploymentRequest) from the
 * command line, the project's deploy manifest and its git state. Everything the CLI can check
 * locally is checked here, as a usage error, before the API is asked.
 */
public final class RequestBuilder {

    public static final String MANIFEST = "deploy.manifest.yaml";
    /** The API refuses bodies over 256 KiB (413); a manifest near that is refused here, readably. */
    static final long MAX_MANIFEST_BYTES = 200 * 1024;
    static final long MAX_SCAN_REPORT_CHARS = 200_000;

    /** The body, and notes for the user (what was not sent and why). */
    public record Built(ObjectNode body, List<String> notes) {

        public String project() {
            return body.path("project").asText();
        }

        public String version() {
            return body.path("version").asText();
        }

        public String environment() {
            return body.path("environment").asText();
        }
    }

    private static final ManifestReader MANIFESTS = new ManifestReader();

    private RequestBuilder() {
    }

    public static Built build(DeployOptions o) {
        List<String> notes = new ArrayList<>();
        String environment = Environments.normalise(o.environment());
        String version = Versions.normalise(o.version());
        String strategy = Environments.strategy(o.strategy());
        Path repo = o.repo() == null ? Path.of(".") : o.repo();
        if (!Files.isDirectory(repo)) {
            throw new UsageException("--repo " + repo + " is not a directory");
        }
        Path manifestPath = o.manifest() != null ? o.manifest() : repo.resolve(MANIFEST);
        String manifest = null;
        if (Files.isRegularFile(manifestPath)) {
            manifest = readManifest(manifestPath);
        } else if (o.manifest() != null) {
            throw new UsageException("no manifest at " + o.manifest());
        }
        String project = o.project();
        if (project == null || project.isBlank()) {
            if (manifest == null) {
                throw new UsageException("no " + MANIFEST + " in " + repo.toAbsolutePath().normalize()
                        + ": name the project with -p, the manifest with --manifest, or the project folder with --repo");
            }
            project = projectNameOf(manifest, manifestPath);
        }
        project = project.strip();

        ObjectNode body = Json.MAPPER.createObjectNode();
        body.put("project", project);
        body.put("version", version);
        body.put("environment", environment);
        List<String> components = components(o.components());
        if (!components.isEmpty()) {
            ArrayNode list = body.putArray("components");
            components.forEach(list::add);
        }
        if (strategy != null) {
            body.put("strategy", strategy);
        }
        if (o.dryRun()) {
            body.put("dryRun", true);
        }
        if (manifest != null) {
            body.put("manifest", manifest);
        }
        GitState.Lookup git = GitState.of(repo);
        if (git instanceof GitState.Found found) {
            ObjectNode r = body.putObject("repository");
            r.put("url", found.state().url());
            r.put("commit", found.state().commit());
            found.state().branchName().ifPresent(b -> r.put("ref", b));
        } else if (git instanceof GitState.NotSent notSent && o.snapshots() != null && manifest != null) {
            // Not a repository of its own (a folder inside another work tree, or none): sent as a snapshot repository.
            Snapshot.Taken snap = Snapshot.take(repo, o.snapshots(), project, version);
            ObjectNode r = body.putObject("repository");
            r.put("url", snap.url());
            r.put("commit", snap.commit());
            r.put("ref", Snapshot.BRANCH);
            notes.add(repo + " is not the top of its own git repository: sent as snapshot " + snap.commit().substring(0, 12) + " ("
                    + snap.tag() + (snap.reused() ? ", files unchanged since the last snapshot" : "") + ") of " + snap.repository());
        } else if (git instanceof GitState.NotSent notSent && notSent.reason() != null) {
            notes.add(notSent.reason() + (o.snapshots() == null ? " (set RUNWAY_SNAPSHOT_DIR to send it as a snapshot)" : ""));
        }
        if (manifest == null && !body.has("repository")) {
            throw new UsageException("nothing describes the project: no " + MANIFEST + " in " + repo.toAbsolutePath().normalize()
                    + " and it is not a git repository (give --manifest or --repo)");
        }
        if (o.ciEvidence() != null && !o.ciEvidence().isBlank()) {
            body.put("ciEvidence", o.ciEvidence().strip());
        }
        if (o.scanReport() != null) {
            body.put("scanReport", readScanReport(o.scanReport()));
        }
        return new Built(body, notes);
    }

    /** "-c web,api" (already split by picocli) → [web, api]; "all" or nothing → [] (the API's default). */
    static List<String> components(List<String> given) {
        if (given == null) {
            return List.of();
        }
        List<String> names = given.stream().flatMap(s -> Arrays.stream(s.split(","))).map(String::strip)
                .filter(s -> !s.isEmpty()).distinct().toList();
        if (names.contains("all")) {
            if (names.size() > 1) {
                throw new UsageException("-c all cannot be combined with component names");
            }
            return List.of();
        }
        for (String n : names) {
            if (!n.matches("^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$")) {
                throw new UsageException("'" + n + "' is not a component name (lower-case letters, digits, '-')");
            }
        }
        return names;
    }

    /** A manifest file's text; a usage error when it cannot be read or is larger than the API would take. */
    public static String readManifest(Path path) {
        try {
            if (Files.size(path) > MAX_MANIFEST_BYTES) {
                throw new UsageException(path + " is larger than " + MAX_MANIFEST_BYTES / 1024 + " KiB");
            }
            return Files.readString(path, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UsageException("cannot read " + path + ": " + e.getMessage());
        }
    }

    /**
     * project.name of a manifest's text, read by the one bounded manifest reader (manifest-support) with the
     * orchestrator's and the validator's limits; a usage error when absent or when the reader refuses the text.
     */
    public static String projectNameOf(String manifest, Path where) {
        ManifestReader.Parsed parsed = MANIFESTS.parse(manifest);
        if (!parsed.ok()) {
            throw new UsageException(where + " cannot be read: " + parsed.error());
        }
        JsonNode name = parsed.root().path("project").path("name");
        if (!name.isTextual() || name.textValue().isBlank()) {
            throw new UsageException(where + " has no project.name; give the project with -p");
        }
        return name.textValue();
    }

    private static String readScanReport(Path path) {
        try {
            String text = Files.readString(path, StandardCharsets.UTF_8);
            if (text.length() > MAX_SCAN_REPORT_CHARS) {
                throw new UsageException(path + " is longer than " + MAX_SCAN_REPORT_CHARS + " characters");
            }
            return text;
        } catch (IOException e) {
            throw new UsageException("cannot read the scan report " + path + ": " + e.getMessage());
        }
    }
}
