package dev.runway.healthwatcher.plan;

/** A command that decodes but cannot be acted on; it goes to the dead-letter topic with this reason. */
public class InvalidCommandException extends RuntimeException {

    public InvalidCommandException(String message) {
        super(message);
    }
}
