package dev.runway.validator.source;

/** The repository or commit cannot be read; the validation fails with this reason. */
public class SourceUnavailableException extends Exception {

    public SourceUnavailableException(String message) {
        super(message);
    }

    public SourceUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
