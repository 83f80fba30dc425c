package dev.runway.demo;

import java.io.IOException;
import java.nio.file.FileVisitOption;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.stream.Stream;

import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.lib.PersonIdent;

/**
 * An example project as a git repository (JGit): examples/&lt;project&gt; committed and tagged v1.0.0 on main; each
 * later release committed and tagged just before it is deployed (examples/demo-shop/README.md).
 */
final class DemoRepository {

    private final Path dir;
    private final PersonIdent developer;

    private DemoRepository(Path dir, String project) {
        this.dir = dir;
        this.developer = new PersonIdent("Demo Developer", "dev@" + project + ".example.com");
    }

    Path dir() {
        return dir;
    }

    /** The repository {@link #create} made earlier. */
    static DemoRepository open(Path dir, String project) {
        return new DemoRepository(dir, project);
    }

    /** examples/&lt;project&gt; copied to dir (symbolic links as the files they point at), committed and tagged v1.0.0. */
    static DemoRepository create(Path examples, String project, Path dir) throws IOException, GitAPIException {
        copy(examples.resolve(project), dir);
        DemoRepository repo = new DemoRepository(dir, project);
        try (Git git = Git.init().setDirectory(dir.toFile()).setInitialBranch("main").call()) {
            repo.commitAndTag(git, project + " 1.0.0", "v1.0.0");
        }
        return repo;
    }

    /** A release's files over the working tree, committed and tagged with its version, on a new branch if one is given. */
    void release(Path files, String message, String tag, String newBranch) throws IOException, GitAPIException {
        try (Git git = Git.open(dir.toFile())) {
            if (newBranch != null) {
                git.checkout().setCreateBranch(true).setName(newBranch).call();
            }
            copy(files, dir);
            commitAndTag(git, message, tag);
        }
    }

    void checkout(String branch) throws IOException, GitAPIException {
        try (Git git = Git.open(dir.toFile())) {
            git.checkout().setName(branch).call();
        }
    }

    private void commitAndTag(Git git, String message, String tag) throws GitAPIException {
        git.add().addFilepattern(".").call();
        git.add().addFilepattern(".").setUpdate(true).call();
        // Unsigned whatever the user's git configuration says: the demo has no key to sign with.
        git.commit().setMessage(message).setAuthor(developer).setCommitter(developer).setSign(false).call();
        git.tag().setName(tag).setAnnotated(false).call();
    }

    /** Like {@code cp -rL from/. to/}: modes kept (scripts stay executable), links followed. */
    static void copy(Path from, Path to) throws IOException {
        List<Path> paths;
        try (Stream<Path> walk = Files.walk(from, FileVisitOption.FOLLOW_LINKS)) {
            paths = walk.toList();
        }
        for (Path source : paths) {
            Path target = to.resolve(from.relativize(source).toString());
            if (Files.isDirectory(source)) {
                Files.createDirectories(target);
            } else {
                Files.copy(source, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.COPY_ATTRIBUTES);
            }
        }
    }
}
