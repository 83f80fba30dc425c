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

    @Test
    void shouldListTheDirectoriesOfADirectoryInTheCommitFollowingSymlinksOnlyInside() throws Exception {
        Repos.Repo repo = Repos.create().write("prisma/migrations/20260102000000_b/migration.sql", "SELECT 2;")
                .write("prisma/migrations/20260101000000_a/migration.sql", "SELECT 1;")
                .write("prisma/migrations/migration_lock.toml", "provider = \"postgresql\"\n")
                .write("shared/20260103000000_c/migration.sql", "SELECT 3;");
        Files.createSymbolicLink(repo.dir().resolve("prisma/migrations/20260103000000_c"), Path.of("../../shared/20260103000000_c"));
        RepositoryRef ref = repo.commit("prisma layout");
        // Made after the commit: never listed.
        repo.write("prisma/migrations/20260104000000_d/migration.sql", "SELECT 4;");
        Files.createSymbolicLink(repo.dir().resolve("escape"), Path.of("/etc"));

        try (CommitTree tree = CommitTree.open(repo.dir(), ref.getCommit())) {
            assertEquals(List.of("20260101000000_a", "20260102000000_b", "20260103000000_c"), tree.directories("prisma/migrations"),
                    "folders in name order, a symlink inside the repository followed, files left out");
            assertThrows(UnsafePathException.class, () -> tree.directories("prisma/migrations/migration_lock.toml"), "not a directory");
            assertThrows(UnsafePathException.class, () -> tree.directories("escape"), "not in the commit");
        }
    }
}
