package dev.runway.executor.repository;

/** A path into a commit that is refused (absolute, {@code ..}, a symlink leaving the repository) or cannot be read; the message says which. */
public class UnsafePathException extends RuntimeException {

    public UnsafePathException(String message) {
        super(message);
    }
}
