package dev.runway.validator.source;

import java.util.List;
import java.util.Optional;

/** What phase 4 (code state) and phase 7 (what changed since the previous release) need from git. */
public interface GitFacts {

    /** A released version: a tag and the commit it points at. */
    record Release(String tag, String commit) {
    }

    boolean available();

    /** Why git facts are unavailable (not a repository, no commit yet). */
    String unavailableReason();

    /** Full id of the validated commit (HEAD for a working directory). */
    String commit();

    /** True for a working directory, whose files may differ from the commit. */
    boolean workingTree();

    /** Paths changed, added or untracked against HEAD (empty for a commit). */
    List<String> uncommittedChanges();

    /** Branches (local and remote-tracking, e.g. {@code main}, {@code origin/main}) that contain the commit. */
    List<String> branchesContaining();

    /** The commit a tag points at, peeled through annotated tags. */
    Optional<String> tagTarget(String tag);

    /** The newest tag on an ancestor of the commit (excluding tags on the commit itself). */
    Optional<Release> previousRelease();

    /** The project's files at an earlier commit (same sub-directory). */
    ProjectSource snapshot(String commit);

    GitFacts NONE = unavailable("not a git repository");

    static GitFacts unavailable(String reason) {
        return new GitFacts() {
            @Override
            public boolean available() {
                return false;
            }

            @Override
            public String unavailableReason() {
                return reason;
            }

            @Override
            public String commit() {
                return null;
            }

            @Override
            public boolean workingTree() {
                return true;
            }

            @Override
            public List<String> uncommittedChanges() {
                return List.of();
            }

            @Override
            public List<String> branchesContaining() {
                return List.of();
            }

            @Override
            public Optional<String> tagTarget(String tag) {
                return Optional.empty();
            }

            @Override
            public Optional<Release> previousRelease() {
                return Optional.empty();
            }

            @Override
            public ProjectSource snapshot(String commit) {
                throw new IllegalStateException(reason);
            }
        };
    }
}
