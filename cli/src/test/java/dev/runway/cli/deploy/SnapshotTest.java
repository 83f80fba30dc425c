package dev.runway.cli.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.treewalk.TreeWalk;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.runway.cli.UsageException;

/**
 * A project folder that is not the top of its own repository (examples/acme-shop inside Runway's
 * work tree) is sent as a snapshot repository under RUNWAY_SNAPSHOT_DIR, tagged with the release.
 */
class SnapshotTest {

    static final String MANIFEST = "version: \"1.0\"\nproject:\n  name: \"acme-shop\"\ncomponents:\n  web:\n    enabled: true\n";

    @TempDir
    Path dir;

    private Path exampleInsideAWorkTree() throws Exception {
        Files.writeString(dir.resolve(".gitignore"), "*.log\n");
        Path sub = Files.createDirectories(dir.resolve("examples/acme-shop"));
        Files.writeString(sub.resolve("deploy.manifest.yaml"), MANIFEST);
        Files.createDirectories(sub.resolve("scripts"));
        Files.writeString(sub.resolve("scripts/deploy.sh"), "#!/usr/bin/env bash\n");
        sub.resolve("scripts/deploy.sh").toFile().setExecutable(true);
        Files.writeString(sub.resolve("debug.log"), "ignored by the enclosing repository\n");
        try (Git git = Git.init().setDirectory(dir.toFile()).setInitialBranch("main").call()) {
            git.add().addFilepattern(".").call();
            git.commit().setMessage("runway").setAuthor("dana", "dana@example.com").setCommitter("dana", "dana@example.com").setSign(false).call();
        }
        return sub;
    }

    private DeployOptions options(Path repo, String version, Path snapshots) {
        return new DeployOptions("staging", version, null, null, false, null, null, repo, null, null, snapshots);
    }

    @Test
    void aFolderInsideAWorkTreeIsSentAsATaggedSnapshotOfItsFiles() throws Exception {
        Path example = exampleInsideAWorkTree();
        Path snapshots = dir.resolve(".runway/snapshots");
        RequestBuilder.Built built = RequestBuilder.build(options(example, "v1.2.3", snapshots));
        ObjectNode repository = (ObjectNode) built.body().get("repository");
        Path bare = snapshots.toAbsolutePath().normalize().resolve("acme-shop.git");
        assertEquals("file://" + bare, repository.get("url").asText());
        assertEquals("main", repository.get("ref").asText());
        assertTrue(built.notes().get(0).contains("not the top of its own git repository: sent as snapshot"), built.notes().toString());

        try (Repository repo = Git.open(bare.toFile()).getRepository(); RevWalk walk = new RevWalk(repo)) {
            ObjectId tagged = repo.getRefDatabase().peel(repo.exactRef(Constants.R_TAGS + "v1.2.3")).getPeeledObjectId();
            assertEquals(repository.get("commit").asText(), tagged.name(), "the release's tag points at the commit sent");
            assertEquals(tagged, repo.resolve("refs/heads/main"), "the commit is on main");
            RevCommit commit = walk.parseCommit(tagged);
            assertEquals(List.of("deploy.manifest.yaml", "scripts/deploy.sh"), paths(repo, commit), "git-ignored files are not released");
            try (TreeWalk tw = TreeWalk.forPath(repo, "scripts/deploy.sh", commit.getTree())) {
                assertEquals(FileMode.EXECUTABLE_FILE, tw.getFileMode(0), "scripts stay executable");
            }
        }

        // Unchanged files: the same commit again, so the same request validates the same way.
        RequestBuilder.Built again = RequestBuilder.build(options(example, "1.2.3", snapshots));
        assertEquals(repository.get("commit").asText(), again.body().get("repository").get("commit").asText());
        assertTrue(again.notes().get(0).contains("files unchanged since the last snapshot"), again.notes().toString());

        // Changed files are a new release: a new commit on main, and the old version's tag stays where it was.
        Files.writeString(example.resolve("README.md"), "acme\n");
        UsageException refused = assertThrows(UsageException.class, () -> RequestBuilder.build(options(example, "1.2.3", snapshots)));
        assertTrue(refused.getMessage().contains("v1.2.3 of acme-shop was snapshot from other files"), refused.getMessage());
        RequestBuilder.Built next = RequestBuilder.build(options(example, "1.2.4", snapshots));
        assertNotEquals(repository.get("commit").asText(), next.body().get("repository").get("commit").asText());
        try (Repository repo = Git.open(bare.toFile()).getRepository(); RevWalk walk = new RevWalk(repo)) {
            RevCommit head = walk.parseCommit(repo.resolve("refs/heads/main"));
            assertEquals(repository.get("commit").asText(), head.getParent(0).name(), "releases follow each other on main");
        }
    }

    @Test
    void aFolderOutsideAnyRepositoryIsSnapshotToo() throws Exception {
        Path project = Files.createDirectories(dir.resolve("plain"));
        Files.writeString(project.resolve("deploy.manifest.yaml"), MANIFEST);
        RequestBuilder.Built built = RequestBuilder.build(options(project, "1.0.0", dir.resolve("snapshots")));
        assertTrue(built.body().path("repository").path("url").asText().endsWith("/snapshots/acme-shop.git"), built.body().toString());
    }

    @Test
    void withoutASnapshotDirectoryTheFolderIsSentWithoutARepositoryAsBefore() throws Exception {
        Path example = exampleInsideAWorkTree();
        RequestBuilder.Built built = RequestBuilder.build(options(example, "1.0.0", null));
        assertFalse(built.body().has("repository"));
        assertTrue(built.notes().get(0).contains("set RUNWAY_SNAPSHOT_DIR"), built.notes().toString());
    }

    private static List<String> paths(Repository repo, RevCommit commit) throws Exception {
        List<String> paths = new ArrayList<>();
        try (TreeWalk tw = new TreeWalk(repo)) {
            tw.addTree(commit.getTree());
            tw.setRecursive(true);
            while (tw.next()) {
                paths.add(tw.getPathString());
            }
        }
        return paths;
    }
}
