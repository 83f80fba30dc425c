package dev.runway.executor.commands;

import java.util.Locale;

import dev.runway.access.ProjectNames;
import dev.runway.events.Environment;

/**
 * The unit Runway isolates (issue 13): a project in one environment. {@code safe} is the project's
 * name as it may appear in namespaces, file and directory names, nginx names and database names.
 */
public record ProjectEnv(String project, String safe, Environment environment) {

    public static ProjectEnv of(String project, Environment environment) {
        try {
            return new ProjectEnv(project, ProjectNames.safe(project), environment);
        } catch (IllegalArgumentException e) {
            throw new StepFailure("BAD_PROJECT_NAME", "project name cannot be used for names on hosts, in Kubernetes or Postgres: "
                    + e.getMessage(), false);
        }
    }

    /** development, staging, uat, production. */
    public String env() {
        return environment.name().toLowerCase(Locale.ROOT);
    }

    /** {@code demo-shop-staging}. */
    public String name() {
        return safe + "-" + env();
    }

    @Override
    public String toString() {
        return project + " in " + env();
    }
}
