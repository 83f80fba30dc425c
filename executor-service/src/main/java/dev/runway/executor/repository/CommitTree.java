package dev.runway.executor.repository;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;

import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectReader;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.eclipse.jgit.treewalk.TreeWalk;

/**
 * Files read from a commit's tree in a checkout's repository, never from its work tree (issue 15):
 * what runs is what was committed and validated, whatever happened to the files on disk since. A
 * path must be relative, without {@code ..}; a symlink in the commit is followed only while it
 * stays inside the repository.
 */
public final class CommitTree implements AutoCloseable {

    /** Symlink hops before a path is taken to loop (as the kernel's MAXSYMLINKS). */
    private static final int MAX_HOPS = 40;

    private final Repository repository;
    private final ObjectReader reader;
    private final ObjectId root;
    private final String commit;

    private CommitTree(Repository repository, ObjectId root, String commit) {
        this.repository = repository;
        this.reader = repository.newObjectReader();
        this.root = root;
        this.commit = commit;
    }

    /** A file or directory of the commit: its path inside the repository and its git object. */
    public record Entry(String path, String name, FileMode mode, ObjectId id) {
        boolean directory() {
            return (mode.getBits() & FileMode.TYPE_MASK) == FileMode.TYPE_TREE;
        }

        boolean symlink() {
            return (mode.getBits() & FileMode.TYPE_MASK) == FileMode.TYPE_SYMLINK;
        }
    }

    /** A regular file of the commit and its bytes. */
    public record File(String name, byte[] content) {
        public String text() {
            return new String(content, StandardCharsets.UTF_8);
        }
    }

    /** The tree of {@code commit} in the repository of {@code checkout}. */
    public static CommitTree open(Path checkout, String commit) {
        Repository repository = null;
        try {
            repository = new FileRepositoryBuilder().setGitDir(checkout.resolve(Constants.DOT_GIT).toFile()).setMustExist(true).build();
            ObjectId id = repository.resolve(commit + "^{commit}");
            if (id == null) {
                throw new UnsafePathException("commit " + commit + " is not in the checkout " + checkout);
            }
            try (RevWalk walk = new RevWalk(repository)) {
                return new CommitTree(repository, walk.parseCommit(id).getTree().getId(), id.name());
            }
        } catch (IOException e) {
            if (repository != null) {
                repository.close();
            }
            throw new UnsafePathException("cannot read commit " + commit + " in " + checkout + ": " + e.getMessage());
        } catch (RuntimeException e) {
            if (repository != null) {
                repository.close();
            }
            throw e;
        }
    }

    /** The commit id (full). */
    public String commit() {
        return commit;
    }

    /**
     * {@code path} as a list of names, or refused: not blank, not absolute, no {@code ..}, no
     * backslash or NUL ({@code .} and repeated slashes are dropped).
     */
    public static List<String> relative(String path) {
        if (path == null || path.isBlank()) {
            throw new UnsafePathException("a path inside the repository is required");
        }
        if (path.startsWith("/")) {
            throw new UnsafePathException("'" + path + "' is absolute: give a path relative to the repository root");
        }
        if (path.indexOf('\\') >= 0 || path.indexOf('\0') >= 0) {
            throw new UnsafePathException("'" + path + "' contains a backslash or NUL");
        }
        List<String> names = new ArrayList<>();
        for (String name : path.split("/")) {
            if (name.equals("..")) {
                throw new UnsafePathException("'" + path + "' contains '..': give a path inside the repository without it");
            }
            if (!name.isEmpty() && !name.equals(".")) {
                names.add(name);
            }
        }
        return names;
    }

    /** The regular file at {@code path}, if the commit has one there (at most {@code maxBytes}). */
    public Optional<File> file(String path, int maxBytes) {
        Optional<Entry> entry = resolve(path);
        if (entry.isEmpty()) {
            return Optional.empty();
        }
        Entry e = entry.get();
        if (!isRegular(e.mode())) {
            throw new UnsafePathException("'" + path + "' is not a regular file in commit " + shortCommit());
        }
        return Optional.of(new File(e.name(), read(e, maxBytes)));
    }

    /** The regular files directly in the directory {@code path} (symlinks followed inside the repository), by name. */
    public List<File> files(String path, int maxBytes) {
        Entry dir = resolve(path).orElseThrow(() -> new UnsafePathException("commit " + shortCommit() + " has no directory '" + path + "'"));
        if (!dir.directory()) {
            throw new UnsafePathException("'" + path + "' is not a directory in commit " + shortCommit());
        }
        List<File> files = new ArrayList<>();
        for (Entry child : children(dir)) {
            Entry target = child.symlink() ? resolve(child.path()).orElse(null) : child;
            if (target != null && isRegular(target.mode())) {
                files.add(new File(child.name(), read(target, maxBytes)));
            }
        }
        files.sort((a, b) -> a.name().compareTo(b.name()));
        return files;
    }

    /** The names of the directories directly in the directory {@code path} (symlinks followed inside the repository), sorted. */
    public List<String> directories(String path) {
        Entry dir = resolve(path).orElseThrow(() -> new UnsafePathException("commit " + shortCommit() + " has no directory '" + path + "'"));
        if (!dir.directory()) {
            throw new UnsafePathException("'" + path + "' is not a directory in commit " + shortCommit());
        }
        List<String> names = new ArrayList<>();
        for (Entry child : children(dir)) {
            Entry target = child.symlink() ? resolve(child.path()).orElse(null) : child;
            if (target != null && target.directory()) {
                names.add(child.name());
            }
        }
        names.sort(String::compareTo);
        return names;
    }

    /**
     * The entry at {@code path}, following symlinks inside the commit; a symlink that leaves the
     * repository (absolute, or too many {@code ..}) is refused, as is a loop.
     */
    Optional<Entry> resolve(String path) {
        Deque<String> todo = new ArrayDeque<>(relative(path));
        List<String> done = new ArrayList<>();
        Entry current = new Entry("", "", FileMode.TREE, root);
        int hops = 0;
        while (!todo.isEmpty()) {
            String name = todo.removeFirst();
            if (name.isEmpty() || name.equals(".")) {
                continue;
            }
            if (name.equals("..")) {
                // Only reachable through a symlink's target (relative() refuses it in the path asked for).
                if (done.isEmpty()) {
                    throw new UnsafePathException("'" + path + "' leads outside the repository through a symlink");
                }
                done.remove(done.size() - 1);
                current = walkTo(done, path);
                continue;
            }
            if (!current.directory()) {
                return Optional.empty();
            }
            Optional<Entry> child = child(current, name);
            if (child.isEmpty()) {
                return Optional.empty();
            }
            Entry c = child.get();
            if (c.symlink()) {
                if (++hops > MAX_HOPS) {
                    throw new UnsafePathException("'" + path + "' has too many levels of symlinks");
                }
                String target = new String(read(c, 4096), StandardCharsets.UTF_8);
                if (target.startsWith("/")) {
                    throw new UnsafePathException("'" + path + "' leads outside the repository: " + join(done, name)
                            + " is a symlink to " + target);
                }
                List<String> parts = List.of(target.split("/"));
                for (int i = parts.size() - 1; i >= 0; i--) {
                    todo.addFirst(parts.get(i));
                }
                continue;
            }
            done.add(name);
            current = c;
        }
        return Optional.of(current);
    }

    private Entry walkTo(List<String> names, String path) {
        Entry current = new Entry("", "", FileMode.TREE, root);
        for (String name : names) {
            current = child(current, name).orElseThrow(() -> new UnsafePathException("cannot resolve '" + path + "'"));
        }
        return current;
    }

    private Optional<Entry> child(Entry dir, String name) {
        try (TreeWalk walk = TreeWalk.forPath(reader, name, dir.id())) {
            if (walk == null) {
                return Optional.empty();
            }
            return Optional.of(new Entry(join(dir.path(), name), name, walk.getFileMode(0), walk.getObjectId(0)));
        } catch (IOException e) {
            throw new UnsafePathException("cannot read " + join(dir.path(), name) + " in commit " + shortCommit() + ": " + e.getMessage());
        }
    }

    private List<Entry> children(Entry dir) {
        List<Entry> entries = new ArrayList<>();
        try (TreeWalk walk = new TreeWalk(reader)) {
            walk.addTree(dir.id());
            walk.setRecursive(false);
            while (walk.next()) {
                entries.add(new Entry(join(dir.path(), walk.getNameString()), walk.getNameString(), walk.getFileMode(0), walk.getObjectId(0)));
            }
        } catch (IOException e) {
            throw new UnsafePathException("cannot list '" + dir.path() + "' in commit " + shortCommit() + ": " + e.getMessage());
        }
        return entries;
    }

    private byte[] read(Entry entry, int maxBytes) {
        try {
            var loader = reader.open(entry.id());
            if (loader.getSize() > maxBytes) {
                throw new UnsafePathException("'" + entry.path() + "' is larger than " + maxBytes + " bytes");
            }
            return loader.getBytes(maxBytes);
        } catch (IOException e) {
            throw new UnsafePathException("cannot read '" + entry.path() + "' in commit " + shortCommit() + ": " + e.getMessage());
        }
    }

    private static boolean isRegular(FileMode mode) {
        return (mode.getBits() & FileMode.TYPE_MASK) == FileMode.TYPE_FILE;
    }

    private static String join(List<String> names, String name) {
        return names.isEmpty() ? name : String.join("/", names) + "/" + name;
    }

    private static String join(String dir, String name) {
        return dir.isEmpty() ? name : dir + "/" + name;
    }

    private String shortCommit() {
        return commit.substring(0, Math.min(12, commit.length()));
    }

    @Override
    public void close() {
        reader.close();
        repository.close();
    }
}
