package dev.runway.orchestrator.project;

import java.util.Locale;

import dev.runway.access.ProjectNames;

/** Project names where the orchestrator needs them as keys. */
public final class Projects {

    private Projects() {
    }

    /**
     * The project's safe name for Redis keys: {@link ProjectNames#safe} without its length limit, so a
     * project registered before tenancy (DNS labels up to 63 characters) still gets its own lock. Unique
     * among registered projects because the registry refuses two names with one safe name.
     */
    public static String safeKey(String project) {
        String safe = project.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("^-+|-+$", "");
        return safe.isEmpty() ? "-" : safe;
    }
}
