package dev.runway.executor.config;

import dev.runway.events.Environment;
import dev.runway.executor.commands.StepFailure;

/** The settings of one environment, or a clear failure when the executor has none. */
public final class Environments {

    private Environments() {
    }

    public static EnvironmentSettings settings(ExecutorConfig config, Environment environment) {
        String name = environment.name().toLowerCase();
        EnvironmentSettings settings = config.environments().get(name);
        if (settings == null) {
            throw new StepFailure("UNKNOWN_ENVIRONMENT", "no executor settings for environment " + name
                    + " (runway.executor.environments." + name + ".*)", false);
        }
        return settings;
    }
}
