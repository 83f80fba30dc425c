package dev.runway.executor.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.runway.executor.commands.StepFailure;
import dev.runway.executor.config.ExecutorConfig;
import dev.runway.executor.repository.Checkouts;
import io.quarkus.runtime.configuration.DurationConverter;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;

/** Who a host release runs as, decided before anything starts (issue 15). */
class ReleaseLauncherTest {

    @TempDir
    Path state;

    ReleaseLauncher launcher(String runAs, int executorUid) {
        Map<String, String> settings = new HashMap<>();
        settings.put("runway.executor.host.state-dir", state.toString());
        settings.put("runway.executor.host.run-as", runAs);
        settings.put("runway.executor.host.secrets-dir", state.resolve("app-secrets").toString());
        settings.put("runway.executor.database.secrets-dir", state.resolve("database-secrets").toString());
        // Durations as Quarkus reads them ("24h"): the mapping is built here without Quarkus.
        SmallRyeConfig config = new SmallRyeConfigBuilder().withMapping(ExecutorConfig.class).withDefaultValues(settings)
                .withConverter(Duration.class, 200, new DurationConverter()).build();
        ExecutorConfig executor = config.getConfigMapping(ExecutorConfig.class);
        return new ReleaseLauncher(executor, new Checkouts(executor), Map.of(), executorUid);
    }

    @Test
    void shouldRunAsTheExecutorsOwnUserWhenItIsNotRoot() {
        ReleaseLauncher.Identity id = launcher("runway-no-such-user", 1000).identity();
        assertFalse(id.dropped());
        assertEquals(1000, id.uid());
    }

    @Test
    void shouldRefuseToStartAsRootWhenTheRunAsUserIsMissingOrRoot() {
        StepFailure missing = assertThrows(StepFailure.class, () -> launcher("runway-no-such-user", 0).identity());
        assertEquals("RUN_AS_USER_MISSING", missing.code());
        assertTrue(missing.getMessage().contains("useradd --system --no-create-home --shell /usr/sbin/nologin runway-no-such-user"),
                missing.getMessage());
        assertTrue(missing.getMessage().contains("runway.executor.host.run-as"), missing.getMessage());

        assertEquals("RUN_AS_ROOT", assertThrows(StepFailure.class, () -> launcher("root", 0).identity()).code());
    }

    @Test
    void shouldRefuseWhileTheRunAsUserCouldReadTheSecrets() throws Exception {
        // nobody: an unprivileged user every Debian has.
        Path secrets = Files.createDirectories(state.resolve("database-secrets"));
        Files.setPosixFilePermissions(secrets, PosixFilePermissions.fromString("rwxr-xr-x"));
        StepFailure exposed = assertThrows(StepFailure.class, () -> launcher("nobody", 0).identity());
        assertEquals("SECRETS_EXPOSED", exposed.code());
        assertTrue(exposed.getMessage().contains("chmod 700 " + secrets), exposed.getMessage());

        Files.setPosixFilePermissions(secrets, PosixFilePermissions.fromString("rwx------"));
        ReleaseLauncher.Identity id = launcher("nobody", 0).identity();
        assertTrue(id.dropped());
        assertEquals(65534, id.uid());
    }
}
