package dev.runway.executor.config;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;

import dev.runway.events.Environment;
import dev.runway.events.TargetKind;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Where and how the executor acts, per environment ({@code runway.executor.*}). */
@ConfigMapping(prefix = "runway.executor")
public interface ExecutorConfig {

    /** Keyed by environment name in lower case: development, staging, uat, production. */
    Map<String, EnvironmentSettings> environments();

    /** Projects this executor instance serves (regex over header.project); others are skipped. */
    @WithDefault(".*")
    String projects();

    Host host();

    Kubernetes kubernetes();

    Database database();

    default EnvironmentSettings environment(Environment environment) {
        EnvironmentSettings settings = environments().get(environment.name().toLowerCase());
        if (settings == null) {
            throw new StepFailure("UNKNOWN_ENVIRONMENT", "no executor settings for environment "
                    + environment.name().toLowerCase() + " (runway.executor.environments." + environment.name().toLowerCase() + ".*)", false);
        }
        return settings;
    }

    interface EnvironmentSettings {
        /** Target used when a command does not name one (and no earlier command of the deployment did). */
        @WithDefault("HOST")
        TargetKind target();

        /** Kubernetes namespace of this environment. */
        @WithDefault("default")
        String namespace();

        /** Gateway API Gateway name: canary weights go on an HTTPRoute; absent = replica ratio. */
        Optional<String> gateway();

        /** Host target: first slot port (component i, colour blue = base + 2i, green = base + 2i + 1). */
        @WithDefault("9100")
        int slotBasePort();

        /** Host target: nginx listen port of the first component (component i listens on port + i). */
        @WithDefault("8800")
        int nginxListenPort();

        /** The client project's database (JDBC URL); absent = database commands fail with NO_DATABASE. */
        Optional<String> databaseUrl();

        Optional<String> databaseUsername();

        Optional<String> databasePassword();

        /** Checkout of the client project used when ApplyMigrations names no repository. */
        Optional<String> projectRoot();
    }

    interface Host {
        /** Pid files, logs, slot state and the nginx prefix; `./runway down` stops what is listed here. */
        @WithDefault("../.runway/executor")
        String stateDir();

        /** Working directory of slot processes (artifacts are command lines relative to it). */
        @WithDefault("..")
        String workingDir();

        @WithDefault("/usr/sbin/nginx")
        String nginx();

        @WithDefault("60s")
        Duration healthTimeout();

        /** How often the supervisor looks at slot processes (restarts those that died). */
        @WithDefault("5s")
        Duration superviseEvery();
    }

    interface Kubernetes {
        @WithDefault("300s")
        Duration rolloutTimeout();

        @WithDefault("1s")
        Duration pollInterval();

        /** Seconds after which Kubernetes marks a rollout failed (spec.progressDeadlineSeconds). */
        @WithDefault("600")
        int progressDeadlineSeconds();
    }

    interface Database {
        /** Directory with pg_dump / pg_restore (Debian: /usr/lib/postgresql/<major>/bin or /usr/bin). */
        @WithDefault("/usr/bin")
        String binDir();

        @WithDefault("../.runway/executor/backups")
        String backupDir();

        @WithDefault("30")
        int retentionDays();
    }
}
