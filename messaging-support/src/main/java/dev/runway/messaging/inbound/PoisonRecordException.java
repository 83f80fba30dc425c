package dev.runway.messaging.inbound;

/**
 * A record that can never be processed, however often it is tried: not decodable, not one of the
 * types the topic carries, or refused as invalid. The one rule of every Runway consumer: a poison
 * record goes to the dead-letter topic at once; any other failure (Postgres, Redis or the registry
 * unavailable) is an infrastructure error and is retried, never dead-lettered.
 */
public class PoisonRecordException extends RuntimeException {

    public PoisonRecordException(String reason) {
        super(reason);
    }

    public PoisonRecordException(String reason, Throwable cause) {
        super(reason, cause);
    }

    /** Whether this failure makes the record poison (as opposed to an infrastructure error to retry). */
    public static boolean isPoison(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof PoisonRecordException) {
                return true;
            }
        }
        return false;
    }
}
