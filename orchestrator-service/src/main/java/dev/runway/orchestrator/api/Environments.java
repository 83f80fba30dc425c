package dev.runway.orchestrator.api;

import java.util.Locale;

import dev.runway.events.Environment;

/** Environment names in URLs and query strings: development | staging | uat | production. */
public final class Environments {

    private Environments() {
    }

    public static Environment parse(String name) {
        try {
            return Environment.valueOf(name.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw ProblemException.badRequest("environment", "unknown environment '"
                    + (name.length() > 40 ? name.substring(0, 40) + "…" : name)
                    + "'; use development, staging, uat or production");
        }
    }
}
