package dev.runway.cli;

/** A command line the CLI cannot act on: printed with a hint, exit code 2. */
public class UsageException extends RuntimeException {

    public UsageException(String message) {
        super(message);
    }
}
