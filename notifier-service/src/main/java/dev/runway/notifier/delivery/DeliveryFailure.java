package dev.runway.notifier.delivery;

/** An attempt that did not deliver. {@code permanent}: retrying cannot help (e.g. HTTP 404/410, no endpoint). */
public class DeliveryFailure extends RuntimeException {

    private final boolean permanent;

    public DeliveryFailure(String message, boolean permanent) {
        super(message, null, false, false);
        this.permanent = permanent;
    }

    public boolean permanent() {
        return permanent;
    }

    /** Refusals the circuit breaker should not count: the endpoint answered, it just said no for good. */
    public static class Permanent extends DeliveryFailure {
        public Permanent(String message) {
            super(message, true);
        }
    }

    /** The notifier itself refused the target (outbound allowlist): nothing was sent, so no attempt is spent. */
    public static class Refused extends Permanent {
        public Refused(String message) {
            super(message);
        }
    }
}
