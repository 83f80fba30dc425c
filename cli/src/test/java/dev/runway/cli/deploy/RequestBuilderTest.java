package dev.runway.cli.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.revwalk.RevCommit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.runway.cli.UsageException;

/** The body of POST /deployments from the flags, a manifest and a real git repository made with JGit. */
class RequestBuilderTest {

    static final String MANIFEST = """
            version: "1.0"
            project:
              name: "acme-shop"
            components:
              web:
                enabled: true
            """;

    @TempDir
    Path dir;

    private static DeployOptions options(Path repo, String version, List<String> components) {
        return new DeployOptions("prod", version, components, "Canary", true, null, null, repo, " ci-42 ", null);
    }

    private RevCommit gitRepo(Path root, String branch) throws IOException, GitAPIException {
        Files.writeString(root.resolve("deploy.manifest.yaml"), MANIFEST);
        try (Git git = Git.init().setDirectory(root.toFile()).setInitialBranch(branch).call()) {
            git.add().addFilepattern(".").call();
            return git.commit().setMessage("release").setAuthor("dana", "dana@example.com")
                    .setCommitter("dana", "dana@example.com").setSign(false).call();
        }
    }

    @Test
    void shouldSendManifestTextAndTheRepositoryAtHead() throws Exception {
        RevCommit head = gitRepo(dir, "release-1");
        RequestBuilder.Built built = RequestBuilder.build(options(dir, "v1.4.2", List.of("web")));
        ObjectNode body = built.body();
        assertEquals("acme-shop", body.get("project").asText());
        assertEquals("1.4.2", body.get("version").asText(), "sent without the leading v");
        assertEquals("production", body.get("environment").asText());
        assertEquals("canary", body.get("strategy").asText());
        assertTrue(body.get("dryRun").asBoolean());
        assertEquals("web", body.get("components").get(0).asText());
        assertEquals(MANIFEST, body.get("manifest").asText(), "the manifest goes as text, unchanged");
        assertEquals("file://" + dir.toRealPath(), body.get("repository").get("url").asText());
        assertEquals(head.getName(), body.get("repository").get("commit").asText());
        assertEquals("release-1", body.get("repository").get("ref").asText());
        assertEquals("ci-42", body.get("ciEvidence").asText());
        assertTrue(built.notes().isEmpty(), built.notes().toString());
    }

    @Test
    void shouldLeaveTheRepositoryOutForASubfolderOfAWorkTree() throws Exception {
        gitRepo(dir, "main");
        Path sub = Files.createDirectories(dir.resolve("examples/shop"));
        Files.writeString(sub.resolve("deploy.manifest.yaml"), MANIFEST);
        RequestBuilder.Built built = RequestBuilder.build(options(sub, "1.0.0", null));
        assertFalse(built.body().has("repository"));
        assertEquals(1, built.notes().size());
        assertTrue(built.notes().get(0).contains("not its top"), built.notes().get(0));
        assertFalse(built.body().has("components"), "all components: the API's default");
    }

    @Test
    void shouldSendOnlyTheManifestOutsideGit() throws Exception {
        Files.writeString(dir.resolve("deploy.manifest.yaml"), MANIFEST);
        RequestBuilder.Built built = RequestBuilder.build(new DeployOptions("staging", "2.0.0-rc.1", List.of("all"), null, false,
                null, null, dir, null, null));
        assertFalse(built.body().has("repository"));
        assertFalse(built.body().has("dryRun"));
        assertFalse(built.body().has("strategy"));
        assertEquals("2.0.0-rc.1", built.version());
        assertTrue(built.notes().isEmpty());
    }

    @Test
    void shouldPreferTheProjectFlagAndAnExplicitManifest() throws Exception {
        Path other = dir.resolve("elsewhere.yaml");
        Files.writeString(other, MANIFEST);
        RequestBuilder.Built built = RequestBuilder.build(new DeployOptions("uat", "1.0.0", null, null, false, "other-shop",
                other, dir, null, null));
        assertEquals("other-shop", built.project());
        assertEquals(MANIFEST, built.body().get("manifest").asText());
    }

    @Test
    void shouldSendARepositoryWithoutAnyManifestWhenTheProjectIsNamed() throws Exception {
        RevCommit head = gitRepo(dir, "main");
        Files.delete(dir.resolve("deploy.manifest.yaml"));
        RequestBuilder.Built built = RequestBuilder.build(new DeployOptions("staging", "1.0.0", List.of("web"), null, false,
                "acme-shop", null, dir, null, null));
        assertFalse(built.body().has("manifest"));
        assertEquals(head.getName(), built.body().get("repository").get("commit").asText());
    }

    @Test
    void shouldRefuseWhatCannotBeSentAsUsageErrors() throws Exception {
        assertThrows(UsageException.class, () -> RequestBuilder.build(new DeployOptions("staging", "1.0.0", null, null, false,
                null, dir.resolve("missing.yaml"), dir, null, null)), "an explicit manifest that does not exist");
        Files.writeString(dir.resolve("deploy.manifest.yaml"), "version: \"1.0\"\nproject: {}\n");
        UsageException noName = assertThrows(UsageException.class, () -> RequestBuilder.build(options(dir, "1.0.0", null)));
        assertTrue(noName.getMessage().contains("no project.name"), noName.getMessage());
        assertThrows(UsageException.class, () -> RequestBuilder.build(new DeployOptions("staging", "1.0.0", List.of("all", "web"),
                null, false, "p", null, dir, null, null)));
        assertThrows(UsageException.class, () -> RequestBuilder.build(new DeployOptions("staging", "1.0.0", List.of("Web!"),
                null, false, "p", null, dir, null, null)));
        assertThrows(UsageException.class, () -> RequestBuilder.build(new DeployOptions("staging", "1.0.0", null, null, false,
                "p", null, dir.resolve("nope"), null, null)));
    }

    @Test
    void shouldReadTheProjectNameWithTheSharedBoundedReader() {
        Path where = dir.resolve("deploy.manifest.yaml");
        assertEquals("acme-shop", RequestBuilder.projectNameOf(MANIFEST, where));
        // What the orchestrator and the validator refuse, the CLI refuses too, with the same reason.
        for (String[] hostile : new String[][] {
                { "a: &a [\"lol\", \"lol\"]\nb: [*a, *a]\n" + MANIFEST, "YAML anchors (&a) are not allowed" },
                { MANIFEST + MANIFEST, "Duplicate field" },
                { MANIFEST + "x-deep: " + "[".repeat(100_000) + "]".repeat(100_000) + "\n", "nesting depth" },
                { MANIFEST + "x-long: " + "x".repeat(20_000) + "\n", "longer than" },
                { MANIFEST + "---\n" + MANIFEST, "more than one YAML document" },
                { "project:\n  name: \"acme\\0shop\"\n", "control character" },
                { "- project: {name: acme-shop}\n", "mapping at the top" } }) {
            UsageException e = assertThrows(UsageException.class, () -> RequestBuilder.projectNameOf(hostile[0], where), hostile[1]);
            assertTrue(e.getMessage().contains(hostile[1]), e.getMessage());
            assertTrue(e.getMessage().length() < 1_000, "the reason does not echo the manifest");
        }
        UsageException nameless = assertThrows(UsageException.class,
                () -> RequestBuilder.projectNameOf("project:\n  name: [acme]\n", where));
        assertTrue(nameless.getMessage().contains("no project.name"), nameless.getMessage());
    }
}
