package dev.runway.executor.config;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Where and how the executor acts, per environment ({@code runway.executor.*}). */
@ConfigMapping(prefix = "runway.executor")
public interface ExecutorConfig {

    /** Keyed by environment name in lower case: development, staging, uat, production. */
    Map<String, EnvironmentSettings> environments();

    /**
     * A command older than this when it arrives is answered StepFailed EXPIRED and not carried out: its saga has
     * moved on (or its step timed out), and a fresh consumer group must never replay a topic's old commands.
     */
    @WithDefault("10m")
    Duration maxCommandAge();

    /** Projects this executor instance serves (regex over header.project); others are skipped. */
    @WithDefault(".*")
    String projects();

    Host host();

    Kubernetes kubernetes();

    Database database();

    interface Host {
        /** Pid files, logs, slot state and the nginx prefix; `./runway down` stops what is listed here. */
        @WithDefault("../.runway/executor")
        String stateDir();

        @WithDefault("/usr/sbin/nginx")
        String nginx();

        @WithDefault("60s")
        Duration healthTimeout();

        /** How often the supervisor looks at slot processes (restarts those that died). */
        @WithDefault("5s")
        Duration superviseEvery();

        /**
         * A checkout no slot runs from (one made only for migrations, or left by a failed deploy) is
         * deleted once it is this old; RestoreDatabase makes one again from the recorded commit if needed.
         */
        @WithDefault("24h")
        Duration checkoutRetention();

        /**
         * OS user releases run as when the executor runs as root (issue 15): an unprivileged user the
         * operator creates ({@code useradd --system --no-create-home --shell /usr/sbin/nologin runway-app}).
         * Not root: releases run as the executor's own user.
         */
        @WithDefault("runway-app")
        String runAs();

        /** util-linux setpriv, which drops to {@link #runAs()} (Debian package util-linux). */
        @WithDefault("/usr/bin/setpriv")
        String setpriv();

        /** The only PATH a release gets (nothing of the executor's own environment reaches it). */
        @WithDefault("/usr/local/bin:/usr/bin:/bin")
        String path();

        /**
         * Secrets the operator gives a project environment's releases, as files
         * {@code <dir>/<safe project>-<env>/<NAME>} (after the executor's environment variables
         * {@code RUNWAY_SECRET_<SAFE_PROJECT>_<ENV>__<NAME>}).
         */
        @WithDefault("../.runway/executor/app-secrets")
        Optional<String> secretsDir();
    }

    interface Kubernetes {
        @WithDefault("300s")
        Duration rolloutTimeout();

        @WithDefault("1s")
        Duration pollInterval();

        /** Seconds after which Kubernetes marks a rollout failed (spec.progressDeadlineSeconds). */
        @WithDefault("600")
        int progressDeadlineSeconds();

        /**
         * Namespace of a project environment: {@code {project}} = the safe project name,
         * {@code {environment}} = development, staging, uat or production. An environment's
         * {@code namespace} setting overrides it (all projects in one namespace).
         */
        @WithDefault("{project}-{environment}")
        String namespaceTemplate();

        /** Label (value "true") of the namespaces Runway may act in; it creates them with it and refuses others. */
        @WithDefault("runway.dev/managed")
        String managedLabel();
    }

    interface Database {
        /** Directory with pg_dump / pg_restore (Debian: /usr/lib/postgresql/<major>/bin or /usr/bin). */
        @WithDefault("/usr/bin")
        String binDir();

        @WithDefault("../.runway/executor/backups")
        String backupDir();

        @WithDefault("30")
        int retentionDays();

        /**
         * Client database credentials as files {@code <dir>/<safe project>-<env>/{url,username,password}}
         * (after the environment variables {@code RUNWAY_DB_<SAFE_PROJECT>_<ENV>_URL|USERNAME|PASSWORD}).
         */
        @WithDefault("../.runway/executor/database-secrets")
        Optional<String> secretsDir();

        /** Databases no client credential may name: Runway's own (and Postgres' maintenance databases). */
        @WithDefault("runway|runway_(registry|orchestrator|validator|executor|health|notifier)(_test)?|postgres|template[01]")
        String runwayDatabases();
    }
}
