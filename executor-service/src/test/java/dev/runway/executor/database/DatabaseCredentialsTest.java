package dev.runway.executor.database;

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
import dev.runway.executor.commands.StepFailure;

/** Resolution of a project environment's credential reference: environment variables first, then secret files. */
class DatabaseCredentialsTest {

    static final String OWN = "runway|runway_(registry|orchestrator|validator|executor|health|notifier)(_test)?|postgres|template[01]";

    @Test
    void shouldReadTheProjectEnvironmentsOwnVariables(@TempDir Path secrets) {
        DatabaseCredentials credentials = new DatabaseCredentials(Map.of(
                "RUNWAY_DB_DEMO_SHOP_STAGING_URL", "jdbc:postgresql://db.example:6543/shop_staging",
                "RUNWAY_DB_DEMO_SHOP_STAGING_USERNAME", "shop",
                "RUNWAY_DB_DEMO_SHOP_STAGING_PASSWORD", "s3cret",
                "RUNWAY_DB_OTHER_STAGING_URL", "jdbc:postgresql://db.example/other"), Optional.of(secrets), OWN);
        ClientDatabase db = credentials.of("Demo_Shop", Environment.STAGING);
        assertEquals(new ClientDatabase("db.example", 6543, "shop_staging", "shop", "s3cret"), db);
        assertEquals("postgresql://db.example:6543/shop_staging", db.describe(), "no credentials in what is shown");

        StepFailure none = assertThrows(StepFailure.class, () -> credentials.of("demo-shop", Environment.PRODUCTION));
        assertEquals("NO_DATABASE", none.code());
        assertTrue(none.getMessage().contains("RUNWAY_DB_DEMO_SHOP_PRODUCTION_URL"), none.getMessage());
        assertTrue(none.getMessage().contains(secrets.resolve("demo-shop-production").resolve("url").toString()), none.getMessage());
    }

    @Test
    void shouldReadMountedSecretFilesAndRefuseRunwaysOwnDatabase(@TempDir Path secrets) throws Exception {
        Path dir = Files.createDirectories(secrets.resolve("acme-web-uat"));
        Files.writeString(dir.resolve("url"), "jdbc:postgresql://127.0.0.1/acme_uat\n");
        Files.writeString(dir.resolve("username"), "acme\n");
        Files.writeString(dir.resolve("password"), "pw\n");
        DatabaseCredentials credentials = new DatabaseCredentials(Map.of(), Optional.of(secrets), OWN);
        assertEquals(new ClientDatabase("127.0.0.1", 5432, "acme_uat", "acme", "pw"), credentials.of("acme web", Environment.UAT));

        Files.writeString(dir.resolve("url"), "jdbc:postgresql://127.0.0.1/runway_orchestrator");
        StepFailure own = assertThrows(StepFailure.class, () -> credentials.of("acme web", Environment.UAT));
        assertEquals("RUNWAY_DATABASE", own.code());

        Files.writeString(dir.resolve("url"), "mysql://127.0.0.1/x?password=hunter2");
        StepFailure bad = assertThrows(StepFailure.class, () -> credentials.of("acme web", Environment.UAT));
        assertEquals("BAD_DATABASE_URL", bad.code());
        assertFalse(bad.getMessage().contains("hunter2"), "a URL may carry a password: never repeated");

        StepFailure unsafe = assertThrows(StepFailure.class, () -> credentials.of("___", Environment.UAT));
        assertEquals("BAD_PROJECT_NAME", unsafe.code());
    }
}
