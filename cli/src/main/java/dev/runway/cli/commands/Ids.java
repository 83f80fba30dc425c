package dev.runway.cli.commands;

import java.util.UUID;

import dev.runway.cli.UsageException;

/** Deployment ids are UUIDs; a typo is caught before the API is asked. */
final class Ids {

    private Ids() {
    }

    static String check(String id) {
        try {
            return UUID.fromString(id.strip()).toString();
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new UsageException("'" + id + "' is not a deployment id (a UUID such as 0f8fad5b-d9cb-469f-a165-70867728950e)");
        }
    }
}
