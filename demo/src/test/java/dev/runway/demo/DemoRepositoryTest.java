package dev.runway.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.treewalk.TreeWalk;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DemoRepositoryTest {

    @TempDir
    Path dir;

    @Test
    void examplesBecomeARepositoryWithTaggedReleases() throws Exception {
        Path examples = dir.resolve("examples");
        Files.createDirectories(examples.resolve("shop/scripts"));
        Files.createDirectories(examples.resolve("shared"));
        Files.writeString(examples.resolve("shop/manifest.yaml"), "version: 1\n");
        Files.writeString(examples.resolve("shop/scripts/deploy.sh"), "#!/bin/sh\n");
        Files.setPosixFilePermissions(examples.resolve("shop/scripts/deploy.sh"), PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.writeString(examples.resolve("shared/App.java"), "class App {}\n");
        Files.createSymbolicLink(examples.resolve("shop/App.java"), Path.of("../shared/App.java"));
        Path release = dir.resolve("v1.1.0");
        Files.createDirectories(release.resolve("database"));
        Files.writeString(release.resolve("database/V2.sql"), "alter table t add c int;\n");
        Files.writeString(release.resolve("manifest.yaml"), "version: 2\n");

        Path clone = dir.resolve("demo/shop");
        DemoRepository repo = DemoRepository.create(examples, "shop", clone);
        repo.release(release, "shop v1.1.0", "v1.1.0", "release/1.1");
        repo.checkout("main");

        try (Git git = Git.open(clone.toFile())) {
            Repository r = git.getRepository();
            assertEquals("main", r.getBranch());
            RevCommit first = commit(r, "v1.0.0");
            RevCommit second = commit(r, "v1.1.0");
            assertEquals("shop 1.0.0", first.getFullMessage());
            assertEquals("Demo Developer <dev@shop.example.com>", first.getAuthorIdent().getName() + " <" + first.getAuthorIdent().getEmailAddress() + ">");
            assertEquals(first, second.getParent(0));
            assertEquals(second.getId(), r.resolve("release/1.1"));
            // The link became the file it pointed at; the script stayed executable.
            assertEquals(FileMode.REGULAR_FILE, mode(r, first, "App.java"));
            assertEquals(FileMode.EXECUTABLE_FILE, mode(r, first, "scripts/deploy.sh"));
            assertNotNull(TreeWalk.forPath(r, "database/V2.sql", second.getTree()));
            assertEquals(null, TreeWalk.forPath(r, "database/V2.sql", first.getTree()));
        }
        // Back on main, the working tree is v1.0.0's.
        assertEquals("version: 1\n", Files.readString(clone.resolve("manifest.yaml")));
        assertFalse(Files.exists(clone.resolve("database/V2.sql")));
        assertFalse(Files.isSymbolicLink(clone.resolve("App.java")));
        assertEquals(List.of("class App {}"), Files.readAllLines(clone.resolve("App.java")));
    }

    private static RevCommit commit(Repository r, String tag) throws Exception {
        ObjectId id = r.resolve("refs/tags/" + tag);
        assertNotNull(id, tag);
        try (RevWalk walk = new RevWalk(r)) {
            return walk.parseCommit(id);
        }
    }

    private static FileMode mode(Repository r, RevCommit c, String path) throws Exception {
        try (TreeWalk walk = TreeWalk.forPath(r, path, c.getTree())) {
            assertNotNull(walk, path);
            return walk.getFileMode(0);
        }
    }
}
