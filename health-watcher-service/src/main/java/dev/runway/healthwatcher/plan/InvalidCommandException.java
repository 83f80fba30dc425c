package dev.runway.healthwatcher.plan;

/** A command that decodes but cannot be acted on; it goes to the dead-letter topic with this reason. */
public class InvalidCommandException extends RuntimeException {

    private final String kind;

    public InvalidCommandException(String message) {
        this(message, "invalid");
    }

    /** {@code kind} labels runway_health_commands_dead_lettered_total (e.g. refused-target). */
    public InvalidCommandException(String message, String kind) {
        super(message);
        this.kind = kind;
    }

    public String kind() {
        return kind;
    }
}
