package dev.runway.validator.source;

import java.util.List;
import java.util.Optional;

/**
 * The files of a project as the validator sees them: a commit of a git repository (the service) or a
 * working directory (the command). Paths are relative to the project root and '/'-separated.
 * Reads are bounded: a file above the caller's limit is reported, not loaded.
 */
public interface ProjectSource extends AutoCloseable {

    /** Where the files come from, for people (never contains credentials). */
    String describe();

    /** Every file, sorted. Ignored files of a working directory are not part of the project. */
    List<String> files();

    boolean isFile(String path);

    /**
     * @return the content, or empty when there is no such file
     * @throws FileTooLargeException when the file is larger than {@code maxBytes}
     */
    Optional<byte[]> read(String path, int maxBytes);

    /** Git facts of the project; {@link GitFacts#available()} is false when it is not a git repository. */
    GitFacts git();

    @Override
    void close();

    /** True for a safe relative path: no absolute paths, no '..' segments. */
    static boolean isSafeRelative(String path) {
        if (path == null || path.isEmpty() || path.startsWith("/") || path.contains("\\") || path.contains("\0")) {
            return false;
        }
        for (String segment : path.split("/")) {
            if (segment.equals("..")) {
                return false;
            }
        }
        return true;
    }
}
