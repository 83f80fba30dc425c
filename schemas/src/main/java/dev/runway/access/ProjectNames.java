package dev.runway.access;

import java.util.Locale;

/**
 * Project (and client) names made safe for the places Runway puts them: Kubernetes namespaces (a
 * DNS-1123 label), file and directory names, database names, nginx and Redis keys. Two names that
 * give the same safe name would share all of those, so Runway refuses the second one (with the
 * first one's name) instead of letting two projects collide.
 */
public final class ProjectNames {

    /** Longest safe name: a namespace {@code <project>-<environment>} must stay within 63 characters. */
    public static final int MAX_SAFE_LENGTH = 40;

    private ProjectNames() {
    }

    /**
     * Lower case, every run of characters other than {@code [a-z0-9]} replaced by one '-', no '-' at
     * either end. Throws when nothing usable is left or the result is longer than {@link #MAX_SAFE_LENGTH}.
     */
    public static String safe(String name) {
        if (name == null) {
            throw new IllegalArgumentException("a name is required");
        }
        String safe = name.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("^-+|-+$", "");
        if (safe.isEmpty()) {
            throw new IllegalArgumentException("'" + name + "' has no letters or digits to name it by");
        }
        if (safe.length() > MAX_SAFE_LENGTH) {
            throw new IllegalArgumentException("'" + name + "' is longer than " + MAX_SAFE_LENGTH
                    + " characters once made safe for namespaces and file names");
        }
        return safe;
    }

    /** The project environment's own name: {@code <safe project>-<environment>}, e.g. {@code demo-shop-staging}. */
    public static String projectEnvironment(String project, String environment) {
        return safe(project) + "-" + environment.toLowerCase(Locale.ROOT);
    }
}
