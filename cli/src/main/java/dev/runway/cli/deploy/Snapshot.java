package dev.runway.cli.deploy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

import org.eclipse.jgit.dircache.DirCache;
import org.eclipse.jgit.dircache.DirCacheBuilder;
import org.eclipse.jgit.dircache.DirCacheEntry;
import org.eclipse.jgit.lib.CommitBuilder;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectInserter;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.RefUpdate;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.lib.TagBuilder;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;

import dev.runway.cli.UsageException;
import dev.runway.validator.source.SourceUnavailableException;
import dev.runway.validator.source.WorkingDirectorySource;

/**
 * A folder that is not the top of its own git repository (examples/acme-shop inside Runway's work
 * tree, or no repository at all) sent as a repository anyway: its files, as {@code runway validate}
 * sees them (git-ignored files left out), committed with JGit to a bare repository
 * {@code <snapshots>/<project>.git} on {@code main}, and the release tagged {@code v<version>}.
 * The validator and the executor then read that commit like any other. Unchanged files reuse the
 * last commit; a version already tagged on other files is refused, as a release is immutable.
 */
public final class Snapshot {

    /** Most bytes one file of a snapshot may have: a project folder, not a data store. */
    static final long MAX_FILE_BYTES = 64L * 1024 * 1024;
    static final String BRANCH = "main";

    public record Taken(Path repository, String commit, String tag, boolean reused) {
        public String url() {
            return "file://" + repository;
        }
    }

    private Snapshot() {
    }

    public static Taken take(Path folder, Path snapshots, String project, String version) {
        String safe = project.toLowerCase().replaceAll("[^a-z0-9-]+", "-");
        Path gitDir = snapshots.toAbsolutePath().normalize().resolve(safe + ".git");
        String tag = "v" + version;
        try {
            Files.createDirectories(snapshots);
            try (Repository repo = new FileRepositoryBuilder().setGitDir(gitDir.toFile()).setBare().build()) {
                if (!Files.exists(gitDir.resolve("HEAD"))) {
                    repo.create(true);
                    RefUpdate head = repo.getRefDatabase().newUpdate(Constants.HEAD, false);
                    head.link(Constants.R_HEADS + BRANCH);
                }
                return commitAndTag(repo, gitDir, folder, project, tag);
            }
        } catch (IOException e) {
            throw new UsageException("could not snapshot " + folder + " into " + gitDir + ": " + e.getMessage());
        }
    }

    private static Taken commitAndTag(Repository repo, Path gitDir, Path folder, String project, String tag) throws IOException {
        List<String> files;
        try (WorkingDirectorySource source = WorkingDirectorySource.open(folder)) {
            files = source.files();
        } catch (SourceUnavailableException e) {
            throw new UsageException("cannot read " + folder + ": " + e.getMessage());
        }
        Path root = folder.toRealPath();
        try (ObjectInserter inserter = repo.newObjectInserter(); RevWalk walk = new RevWalk(repo)) {
            DirCache index = DirCache.newInCore();
            DirCacheBuilder builder = index.builder();
            for (String path : files) {
                Path file = root.resolve(path);
                long size = Files.size(file);
                if (size > MAX_FILE_BYTES) {
                    throw new UsageException(path + " in " + folder + " has " + size + " bytes; a snapshot takes files up to " + MAX_FILE_BYTES);
                }
                DirCacheEntry entry = new DirCacheEntry(path);
                entry.setFileMode(Files.isExecutable(file) ? FileMode.EXECUTABLE_FILE : FileMode.REGULAR_FILE);
                try (InputStream in = Files.newInputStream(file)) {
                    entry.setObjectId(inserter.insert(Constants.OBJ_BLOB, size, in));
                }
                entry.setLength(size);
                builder.add(entry);
            }
            builder.finish();
            ObjectId tree = index.writeTree(inserter);
            ObjectId head = repo.resolve(Constants.R_HEADS + BRANCH);
            RevCommit parent = head == null ? null : walk.parseCommit(head);
            boolean reused = parent != null && parent.getTree().getId().equals(tree);
            ObjectId commit;
            if (reused) {
                commit = parent.getId();
            } else {
                PersonIdent who = new PersonIdent("runway snapshot", "snapshot@runway.invalid", Instant.now(), ZoneOffset.UTC);
                CommitBuilder c = new CommitBuilder();
                c.setTreeId(tree);
                if (parent != null) {
                    c.setParentId(parent);
                }
                c.setAuthor(who);
                c.setCommitter(who);
                c.setMessage("snapshot of " + root + " for " + project + " " + tag + "\n");
                commit = inserter.insert(c);
            }
            Ref existing = repo.exactRef(Constants.R_TAGS + tag);
            if (existing != null) {
                ObjectId tagged = repo.getRefDatabase().peel(existing).getPeeledObjectId();
                ObjectId target = tagged != null ? tagged : existing.getObjectId();
                if (!target.equals(commit)) {
                    throw new UsageException(tag + " of " + project + " was snapshot from other files (commit " + target.abbreviate(12).name()
                            + " in " + gitDir + "); a release does not change: deploy the changed folder as a new version");
                }
            }
            inserter.flush();
            if (!reused) {
                RefUpdate branch = repo.updateRef(Constants.R_HEADS + BRANCH);
                branch.setNewObjectId(commit);
                branch.setExpectedOldObjectId(head == null ? ObjectId.zeroId() : head);
                RefUpdate.Result r = branch.update(walk);
                if (r != RefUpdate.Result.NEW && r != RefUpdate.Result.FAST_FORWARD) {
                    throw new IOException("could not move " + BRANCH + " to the snapshot: " + r);
                }
            }
            if (existing == null) {
                TagBuilder t = new TagBuilder();
                t.setTag(tag);
                t.setObjectId(commit, Constants.OBJ_COMMIT);
                t.setTagger(new PersonIdent("runway snapshot", "snapshot@runway.invalid", Instant.now(), ZoneOffset.UTC));
                t.setMessage(project + " " + tag + " (snapshot)\n");
                ObjectId tagId = inserter.insert(t);
                inserter.flush();
                RefUpdate ref = repo.updateRef(Constants.R_TAGS + tag);
                ref.setNewObjectId(tagId);
                ref.setExpectedOldObjectId(ObjectId.zeroId());
                RefUpdate.Result r = ref.update(walk);
                if (r != RefUpdate.Result.NEW) {
                    throw new IOException("could not tag the snapshot " + tag + ": " + r);
                }
            }
            return new Taken(gitDir, commit.name(), tag, reused);
        }
    }
}
