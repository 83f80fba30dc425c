package dev.runway.executor.repository;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import dev.runway.events.RepositoryRef;
import dev.runway.executor.support.Repos;

/** Files read from a commit, not a work tree; paths and symlinks kept inside the repository (issue 15). */
class CommitTreeTest {

    @Test
    void shouldRefuseAbsolutePathsAndDotDot() {
        assertEquals(List.of("database", "migrations"), CommitTree.relative("./database//migrations/"));
        for (String path : List.of("/tmp/x", "../x", "database/../../x", "a/..", "a\\b", "", " ")) {
            assertThrows(UnsafePathException.class, () -> CommitTree.relative(path), path);
        }
    }

    @Test
    void shouldReadTheCommitNotTheWorkTreeAndFollowSymlinksOnlyInside() throws Exception {
        Repos.Repo repo = Repos.create().write("database/migrations/20260101000000_a.sql", "SELECT 1;")
                .write("config/staging.env", "A=1\n");
        Files.createDirectories(repo.dir().resolve("db"));
        Files.createSymbolicLink(repo.dir().resolve("db/migrations"), Path.of("../database/migrations"));
        Files.createSymbolicLink(repo.dir().resolve("outside"), Path.of("/etc"));
        Files.createSymbolicLink(repo.dir().resolve("up"), Path.of("../../.."));
        Files.createSymbolicLink(repo.dir().resolve("database/migrations/20260102000000_b.sql"), Path.of("../../config/staging.env"));
        Files.createSymbolicLink(repo.dir().resolve("loop"), Path.of("loop"));
        RepositoryRef ref = repo.commit("symlinks");
        // Changed after the commit: never what is read.
        repo.write("config/staging.env", "A=changed\n");

        try (CommitTree tree = CommitTree.open(repo.dir(), ref.getCommit())) {
            assertEquals("A=1\n", tree.file("config/staging.env", 1024).orElseThrow().text());
            assertEquals(Optional.empty(), tree.file("config/production.env", 1024));
            assertEquals(List.of("20260101000000_a.sql", "20260102000000_b.sql"),
                    tree.files("db/migrations", 1024).stream().map(CommitTree.File::name).toList(), "a symlink inside the repository is followed");
            UnsafePathException absolute = assertThrows(UnsafePathException.class, () -> tree.files("outside", 1024));
            assertTrue(absolute.getMessage().contains("outside is a symlink to /etc"), absolute.getMessage());
            UnsafePathException up = assertThrows(UnsafePathException.class, () -> tree.file("up/etc/passwd", 1024));
            assertTrue(up.getMessage().contains("outside the repository"), up.getMessage());
            assertThrows(UnsafePathException.class, () -> tree.file("loop", 1024));
            assertThrows(UnsafePathException.class, () -> tree.file("config/staging.env", 2), "larger than the cap");
        }
    }
}
