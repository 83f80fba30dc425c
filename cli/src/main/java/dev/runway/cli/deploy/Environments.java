package dev.runway.cli.deploy;

import java.util.Locale;

import dev.runway.cli.UsageException;

/** The SOP's four environments (sop.md 000-3.1), with the short names people type. */
public final class Environments {

    private Environments() {
    }

    public static String normalise(String name) {
        if (name == null || name.isBlank()) {
            throw new UsageException("an environment is required (-e development|staging|uat|production)");
        }
        return switch (name.strip().toLowerCase(Locale.ROOT)) {
            case "development", "dev" -> "development";
            case "staging" -> "staging";
            case "uat" -> "uat";
            case "production", "prod" -> "production";
            default -> throw new UsageException("unknown environment '" + name + "' (development, staging, uat, production)");
        };
    }

    public static String strategy(String name) {
        if (name == null) {
            return null;
        }
        return switch (name.strip().toLowerCase(Locale.ROOT)) {
            case "blue-green", "bluegreen", "blue_green" -> "blue-green";
            case "canary" -> "canary";
            case "rolling" -> "rolling";
            default -> throw new UsageException("unknown strategy '" + name + "' (blue-green, canary, rolling)");
        };
    }
}
