package dev.runway.executor.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.runway.events.Environment;
import dev.runway.executor.commands.ProjectEnv;
import dev.runway.executor.commands.StepFailure;

/** The operator's secrets for one project environment's releases (issue 15). */
class AppSecretsTest {

    static final ProjectEnv SHOP_STAGING = ProjectEnv.of("Demo Shop", Environment.STAGING);

    @Test
    void shouldTakeVariablesOverFilesForTheProjectEnvironmentOnly(@TempDir Path dir) throws Exception {
        Path files = Files.createDirectories(dir.resolve("demo-shop-staging"));
        Files.writeString(files.resolve("DATABASE_URL"), "postgres://from-file\n");
        Files.writeString(files.resolve("API_TOKEN"), "token-from-file\n");
        Files.writeString(files.resolve("..data"), "kubernetes bookkeeping");
        Files.createDirectories(dir.resolve("demo-shop-production")).resolve("DATABASE_URL").toFile().createNewFile();
        Map<String, String> env = Map.of(
                "RUNWAY_SECRET_DEMO_SHOP_STAGING__API_TOKEN", "token-from-variable",
                "RUNWAY_SECRET_DEMO_SHOP_PRODUCTION__API_TOKEN", "production-only",
                "RUNWAY_DB_DEMO_SHOP_STAGING_PASSWORD", "not an app secret");

        assertEquals(Map.of("DATABASE_URL", "postgres://from-file", "API_TOKEN", "token-from-variable"),
                new AppSecrets(env, Optional.of(dir)).of(SHOP_STAGING));
        assertEquals("RUNWAY_SECRET_DEMO_SHOP_STAGING__", AppSecrets.variablePrefix(SHOP_STAGING));
    }

    @Test
    void shouldNeverGiveOneProjectTheSecretsOfAnotherWhoseNameExtendsIt() {
        // Project "a" in staging and project "a-staging" in staging: without the double underscore their prefixes would overlap.
        Map<String, String> env = Map.of("RUNWAY_SECRET_A_STAGING_STAGING__TOKEN", "a-staging's", "RUNWAY_SECRET_A_STAGING__TOKEN", "a's");
        AppSecrets secrets = new AppSecrets(env, Optional.empty());
        assertEquals(Map.of("TOKEN", "a's"), secrets.of(ProjectEnv.of("a", Environment.STAGING)));
        assertEquals(Map.of("TOKEN", "a-staging's"), secrets.of(ProjectEnv.of("a-staging", Environment.STAGING)));
    }

    @Test
    void shouldRefuseNamesThatAreNotVariablesWithoutRepeatingTheValue(@TempDir Path dir) throws Exception {
        Files.writeString(Files.createDirectories(dir.resolve("demo-shop-staging")).resolve("database-url"), "postgres://secret");
        StepFailure e = assertThrows(StepFailure.class, () -> new AppSecrets(Map.of(), Optional.of(dir)).of(SHOP_STAGING));
        assertEquals("BAD_SECRET", e.code());
        assertTrue(e.getMessage().contains("database-url"), e.getMessage());
        assertFalse(e.getMessage().contains("postgres://secret"));
    }
}
