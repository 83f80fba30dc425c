package dev.runway.validator.source;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.Status;
import org.eclipse.jgit.api.StatusCommand;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.dircache.DirCacheIterator;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.eclipse.jgit.treewalk.FileTreeIterator;
import org.eclipse.jgit.treewalk.TreeWalk;
import org.eclipse.jgit.treewalk.WorkingTreeIterator;
import org.eclipse.jgit.treewalk.filter.PathFilter;

/**
 * A project directory on disk, as {@code runway validate <dir>} sees it: the files a commit would
 * contain (git-ignored files are not part of the project), plus the git facts of the enclosing
 * repository read with JGit. The directory may be a sub-directory of a larger repository.
 */
public final class WorkingDirectorySource implements ProjectSource {

    private static final Set<String> NEVER_ENTER = Set.of(".git", "node_modules");

    private final Path root;
    private final Repository repo;
    private final List<String> files;
    private final GitFacts facts;

    private WorkingDirectorySource(Path root, Repository repo, List<String> files, GitFacts facts) {
        this.root = root;
        this.repo = repo;
        this.files = files;
        this.facts = facts;
    }

    public static WorkingDirectorySource open(Path dir) throws SourceUnavailableException {
        Path root;
        try {
            root = dir.toRealPath();
        } catch (IOException e) {
            throw new SourceUnavailableException("no directory at " + dir);
        }
        if (!Files.isDirectory(root)) {
            throw new SourceUnavailableException(dir + " is not a directory");
        }
        FileRepositoryBuilder builder = new FileRepositoryBuilder().findGitDir(root.toFile());
        if (builder.getGitDir() == null) {
            return new WorkingDirectorySource(root, null, walkPlain(root), GitFacts.NONE);
        }
        Repository repo;
        try {
            repo = builder.setMustExist(true).build();
        } catch (IOException e) {
            throw new SourceUnavailableException("git repository of " + dir + " could not be opened: " + e.getMessage(), e);
        }
        if (repo.isBare()) {
            repo.close();
            return new WorkingDirectorySource(root, null, walkPlain(root), GitFacts.NONE);
        }
        try {
            Path workTree = repo.getWorkTree().toPath().toRealPath();
            String rel = workTree.relativize(root).toString().replace(File.separatorChar, '/');
            String prefix = rel.isEmpty() ? "" : rel + "/";
            List<String> files = walkGit(repo, prefix);
            ObjectId head = repo.resolve("HEAD^{commit}");
            GitFacts facts = head == null
                    ? GitFacts.unavailable("the repository has no commit yet")
                    : new JGitFacts(repo, head, prefix, true, () -> uncommitted(repo, prefix));
            return new WorkingDirectorySource(root, repo, files, facts);
        } catch (IOException | RuntimeException e) {
            repo.close();
            throw new SourceUnavailableException("git repository of " + dir + " could not be read: " + e.getMessage(), e);
        }
    }

    /** Files a commit would contain: tracked ones, and untracked ones git does not ignore. */
    private static List<String> walkGit(Repository repo, String prefix) throws IOException {
        List<String> files = new ArrayList<>();
        try (TreeWalk walk = new TreeWalk(repo)) {
            walk.addTree(new FileTreeIterator(repo));
            walk.addTree(new DirCacheIterator(repo.readDirCache()));
            walk.setRecursive(false);
            if (!prefix.isEmpty()) {
                walk.setFilter(PathFilter.create(prefix.substring(0, prefix.length() - 1)));
            }
            while (walk.next()) {
                WorkingTreeIterator disk = walk.getTree(0, WorkingTreeIterator.class);
                boolean tracked = walk.getTree(1, DirCacheIterator.class) != null;
                if (disk == null || (!tracked && disk.isEntryIgnored())) {
                    continue;
                }
                String path = walk.getPathString();
                if (walk.isSubtree()) {
                    if (!NEVER_ENTER.contains(walk.getNameString())) {
                        walk.enterSubtree();
                    }
                    continue;
                }
                if (!path.startsWith(prefix) || !disk.getEntryFileMode().equals(FileMode.REGULAR_FILE)
                        && !disk.getEntryFileMode().equals(FileMode.EXECUTABLE_FILE)) {
                    continue;
                }
                addBounded(files, path.substring(prefix.length()));
            }
        }
        files.sort(null);
        return files;
    }

    private static List<String> walkPlain(Path root) throws SourceUnavailableException {
        List<String> files = new ArrayList<>();
        try {
            Files.walkFileTree(root, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult preVisitDirectory(Path d, BasicFileAttributes attrs) {
                    return !d.equals(root) && NEVER_ENTER.contains(d.getFileName().toString())
                            ? FileVisitResult.SKIP_SUBTREE : FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFile(Path f, BasicFileAttributes attrs) {
                    if (attrs.isRegularFile()) {
                        addBounded(files, root.relativize(f).toString().replace(File.separatorChar, '/'));
                    }
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            throw new SourceUnavailableException(root + " could not be listed: " + e.getMessage(), e);
        } catch (IllegalStateException e) {
            throw new SourceUnavailableException(e.getMessage(), e);
        }
        files.sort(null);
        return files;
    }

    private static void addBounded(List<String> files, String path) {
        if (files.size() >= GitCommitSource.MAX_FILES) {
            throw new IllegalStateException("the project has more than " + GitCommitSource.MAX_FILES + " files");
        }
        files.add(path);
    }

    private static List<String> uncommitted(Repository repo, String prefix) {
        try {
            StatusCommand command = Git.wrap(repo).status();
            if (!prefix.isEmpty()) {
                command.addPath(prefix.substring(0, prefix.length() - 1));
            }
            Status status = command.call();
            Set<String> changed = new TreeSet<>(status.getUncommittedChanges());
            changed.addAll(status.getUntracked());
            return changed.stream().filter(p -> p.startsWith(prefix)).map(p -> p.substring(prefix.length())).toList();
        } catch (GitAPIException e) {
            throw new IllegalStateException("git status failed: " + e.getMessage(), e);
        }
    }

    @Override
    public String describe() {
        return "directory " + root + (facts.available() ? " at " + facts.commit().substring(0, 12) : "");
    }

    @Override
    public List<String> files() {
        return files;
    }

    @Override
    public boolean isFile(String path) {
        return ProjectSource.isSafeRelative(path) && Files.isRegularFile(root.resolve(path), LinkOption.NOFOLLOW_LINKS);
    }

    @Override
    public Optional<byte[]> read(String path, int maxBytes) {
        if (!isFile(path)) {
            return Optional.empty();
        }
        Path file = root.resolve(path);
        try {
            long size = Files.size(file);
            if (size > maxBytes) {
                throw new FileTooLargeException(path, size, maxBytes);
            }
            return Optional.of(Files.readAllBytes(file));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public GitFacts git() {
        return facts;
    }

    @Override
    public void close() {
        if (repo != null) {
            repo.close();
        }
    }
}
