package dev.runway.executor.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.Map;

import dev.runway.testsupport.Backbone;

/** Executor settings shared by @QuarkusTest resources, the restart IT and the benchmark. */
public final class ExecutorSettings {

    /** Test projects start with this, and test executors serve only those (runway.executor.projects). */
    public static final String PROJECT_PREFIX = "exec-test-";
    public static final int DEV_SLOT_BASE = 19100;
    public static final int DEV_NGINX = 18800;

    private ExecutorSettings() {
    }

    public static Path secretsDir(Path state) {
        return state.resolve("database-secrets");
    }

    /** Repository credentials by reference name (runway.repositories.credentials-dir), written by the tests that need them. */
    public static Path repositoryCredentialsDir(Path state) {
        return state.resolve("repository-credentials");
    }

    /** The operator's secrets for releases (runway.executor.host.secrets-dir). */
    public static Path appSecretsDir(Path state) {
        return state.resolve("app-secrets");
    }

    /**
     * A directory only the executor's user may enter: releases run as another user when the
     * executor is root, and the executor refuses to start them while secrets are readable by it.
     */
    public static Path privateDir(Path dir) {
        try {
            Files.createDirectories(dir);
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static Map<String, String> forTests(Backbone b, Path state) {
        Map<String, String> c = new HashMap<>();
        c.put("runway.executor.projects", PROJECT_PREFIX + ".*");
        c.put("mp.messaging.incoming.\"runway.executor.commands\".group.id", "runway-executor-test");
        // Client database credentials per project environment: ClientDatabases.create writes them here.
        c.put("runway.executor.database.secrets-dir", secretsDir(state).toString());
        c.put("runway.executor.host.secrets-dir", appSecretsDir(state).toString());
        c.put("runway.repositories.credentials-dir", repositoryCredentialsDir(state).toString());
        // The operator's choice of targets per environment: uat only on Kubernetes (a host command there is refused).
        c.put("runway.executor.environments.uat.allowed-targets", "KUBERNETES");
        c.put("runway.executor.environments.development.slot-ports", DEV_SLOT_BASE + "-" + (DEV_SLOT_BASE + 49));
        c.put("runway.executor.environments.development.front-ports", DEV_NGINX + "-" + (DEV_NGINX + 49));
        c.put("runway.executor.environments.staging.slot-ports", (DEV_SLOT_BASE + 50) + "-" + (DEV_SLOT_BASE + 99));
        c.put("runway.executor.environments.staging.front-ports", (DEV_NGINX + 50) + "-" + (DEV_NGINX + 99));
        c.put("runway.executor.environments.production.gateway", "runway-gateway");
        c.put("runway.executor.host.state-dir", state.toString());
        c.put("runway.executor.host.health-timeout", "90s");
        c.put("runway.executor.database.backup-dir", state.resolve("backups").toString());
        c.put("runway.executor.kubernetes.poll-interval", "0.05s");
        c.put("runway.executor.kubernetes.rollout-timeout", "20s");
        return c;
    }
}
