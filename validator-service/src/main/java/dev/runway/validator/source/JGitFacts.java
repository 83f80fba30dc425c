package dev.runway.validator.source;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

import org.eclipse.jgit.errors.IncorrectObjectTypeException;
import org.eclipse.jgit.errors.MissingObjectException;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;

/** Git facts read with JGit from the repository's own refs (no git executable involved). */
final class JGitFacts implements GitFacts {

    private final Repository repo;
    private final ObjectId commit;
    private final String prefix;
    private final boolean workingTree;
    private final Supplier<List<String>> uncommitted;
    private List<String> branches;
    private Optional<Release> previous;

    JGitFacts(Repository repo, ObjectId commit, String prefix, boolean workingTree, Supplier<List<String>> uncommitted) {
        this.repo = repo;
        this.commit = commit;
        this.prefix = prefix;
        this.workingTree = workingTree;
        this.uncommitted = uncommitted;
    }

    @Override
    public boolean available() {
        return true;
    }

    @Override
    public String unavailableReason() {
        return null;
    }

    @Override
    public String commit() {
        return commit.name();
    }

    @Override
    public boolean workingTree() {
        return workingTree;
    }

    @Override
    public List<String> uncommittedChanges() {
        return uncommitted.get();
    }

    @Override
    public synchronized List<String> branchesContaining() {
        if (branches == null) {
            List<String> found = new ArrayList<>();
            try (RevWalk walk = new RevWalk(repo)) {
                RevCommit target = walk.parseCommit(commit);
                for (Ref ref : repo.getRefDatabase().getRefsByPrefix(Constants.R_HEADS, Constants.R_REMOTES)) {
                    if (ref.isSymbolic() || ref.getObjectId() == null) {
                        continue;
                    }
                    walk.reset();
                    RevCommit tip = parseCommitOrNull(walk, ref.getObjectId());
                    if (tip != null && walk.isMergedInto(target, tip)) {
                        found.add(Repository.shortenRefName(ref.getName()));
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            branches = List.copyOf(found);
        }
        return branches;
    }

    @Override
    public Optional<String> tagTarget(String tag) {
        try (RevWalk walk = new RevWalk(repo)) {
            Ref ref = repo.exactRef(Constants.R_TAGS + tag);
            if (ref == null || ref.getObjectId() == null) {
                return Optional.empty();
            }
            RevCommit target = parseCommitOrNull(walk, ref.getObjectId());
            return Optional.ofNullable(target).map(ObjectId::name);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public synchronized Optional<Release> previousRelease() {
        if (previous == null) {
            record Candidate(String tag, RevCommit commit) {
            }
            List<Candidate> candidates = new ArrayList<>();
            try (RevWalk walk = new RevWalk(repo)) {
                RevCommit current = walk.parseCommit(commit);
                for (Ref ref : repo.getRefDatabase().getRefsByPrefix(Constants.R_TAGS)) {
                    walk.reset();
                    RevCommit tagged = parseCommitOrNull(walk, ref.getObjectId());
                    if (tagged != null && !tagged.equals(current) && walk.isMergedInto(tagged, current)) {
                        candidates.add(new Candidate(Repository.shortenRefName(ref.getName()), tagged));
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            previous = candidates.stream()
                    .max(Comparator.comparingInt((Candidate c) -> c.commit().getCommitTime()).thenComparing(Candidate::tag))
                    .map(c -> new Release(c.tag(), c.commit().name()));
        }
        return previous;
    }

    @Override
    public ProjectSource snapshot(String commitId) {
        try {
            return GitCommitSource.at(repo, ObjectId.fromString(commitId), prefix, false, "commit " + commitId);
        } catch (SourceUnavailableException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    private static RevCommit parseCommitOrNull(RevWalk walk, ObjectId id) throws IOException {
        try {
            return walk.parseCommit(id);
        } catch (IncorrectObjectTypeException | MissingObjectException e) {
            return null; // a tag on a tree or blob, or a ref to a missing object: not a release
        }
    }
}
