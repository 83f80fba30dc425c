package dev.runway.validator.rules;

import static dev.runway.validator.fixtures.Reports.assertFailed;
import static dev.runway.validator.fixtures.Reports.assertPassed;
import static dev.runway.validator.fixtures.Reports.assertStatus;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.runway.events.CheckStatus;
import dev.runway.events.MigrationChecksum;
import dev.runway.events.MigrationSet;
import dev.runway.events.MigrationSets;
import dev.runway.validator.fixtures.FixtureRepo;
import dev.runway.validator.fixtures.Reports;

/** Phase 7: naming (sop.md 000-8.1), order, schema changes with migrations, forward-compatibility (004). */
class MigrationRulesTest {

    static final String DIR = "database/migrations/";

    @Test
    void databaseWithoutMigrationsFails() {
        try (FixtureRepo repo = FixtureRepo.released()) {
            repo.delete("database").release("v1.1.0");
            assertFailed(repo.validate(), Rule.MIGRATIONS_PRESENT, "Database declared but no migrations in database/migrations");
        }
    }

    @Test
    void badlyNamedMigrationsFailAndPrismaDirectoriesAreAccepted() {
        try (FixtureRepo repo = FixtureRepo.released()) {
            repo.write(DIR + "add_users.sql", "CREATE TABLE users (id INT);\n")
                    .write(DIR + "20261399000000_bad_month.sql", "SELECT 1;\n")
                    .write(DIR + "20260301000000_carts/migration.sql", "CREATE TABLE carts (id INT);\n")
                    .release("v1.1.0");
            Report report = repo.validate();
            assertFailed(report, Rule.MIGRATION_NAMING, "Invalid migration name format: add_users.sql");
            assertFailed(report, Rule.MIGRATION_NAMING, "Invalid migration name format: 20261399000000_bad_month.sql");
            assertStatus(report, Rule.MIGRATION_NAMING, CheckStatus.PASSED, "Valid migration name: 20260301000000_carts");
        }
    }

    @Test
    void theDeclaredPathIsCheckedNotTheDefaultAndItsFilesAreChecksummed() throws Exception {
        try (FixtureRepo repo = FixtureRepo.released()) {
            // The migrations move to db/sql; database/migrations keeps a badly named file nobody runs any more.
            String first = repo.read(DIR + "20260115143022_create_orders_table.sql");
            repo.edit("deploy.manifest.yaml", "path: \"database/migrations\"", "path: \"./db//sql/\"")
                    .delete("database/migrations").write("db/sql/20260115143022_create_orders_table.sql", first)
                    .write("db/sql/20260301000000_add_carts.sql", "CREATE TABLE carts (id INT);\n")
                    .write("db/sql/20260302000000_carts_index/migration.sql", "CREATE INDEX carts_id ON carts (id);\n")
                    .write("db/sql/README.md", "not a migration\n")
                    .write("database/migrations/not_a_migration.sql", "DROP TABLE orders;\n")
                    .release("v1.1.0");
            Report report = repo.validate();
            assertStatus(report, Rule.MIGRATIONS_PRESENT, CheckStatus.PASSED, "Found 3 migration files");
            assertStatus(report, Rule.MIGRATION_NAMING, CheckStatus.PASSED, "Valid migration name: 20260301000000_add_carts.sql");
            MigrationSet set = report.migrations();
            assertEquals("db/sql", set.getPath(), "normalised as the executor normalises it");
            assertEquals(List.of("20260115143022_create_orders_table.sql", "20260301000000_add_carts.sql",
                    "20260302000000_carts_index/migration.sql"),
                    set.getFiles().stream().map(MigrationChecksum::getFile).toList());
            assertEquals(MigrationSets.sha256("CREATE TABLE carts (id INT);\n".getBytes(StandardCharsets.UTF_8)),
                    set.getFiles().get(1).getSha256());

            // Changing one byte of one file changes that file's checksum and the set's, and nothing else.
            repo.write("db/sql/20260301000000_add_carts.sql", "CREATE TABLE carts (id BIGINT);\n").release("v1.1.1");
            MigrationSet changed = repo.validate().migrations();
            assertEquals(set.getFiles().get(0), changed.getFiles().get(0));
            assertNotEquals(set.getFiles().get(1).getSha256(), changed.getFiles().get(1).getSha256());
            assertNotEquals(set.getSha256(), changed.getSha256());
            assertTrue(MigrationSets.difference(set, changed).orElseThrow().startsWith("db/sql/20260301000000_add_carts.sql changed"));
        }
    }

    @Test
    void aMigrationsPathOutsideTheRepositoryIsRefusedNotReplacedByTheDefault() {
        for (String path : List.of("../other-project/migrations", "database/../../etc", "/var/lib/migrations", ".", "db\\\\sql")) {
            try (FixtureRepo repo = FixtureRepo.released()) {
                repo.edit("deploy.manifest.yaml", "path: \"database/migrations\"", "path: \"" + path + "\"").release("v1.1.0");
                Report report = repo.validate();
                Check refused = assertFailed(report, Rule.MIGRATIONS_PRESENT, "database.migrations.path refused: ");
                assertEquals("database.migrations.path", refused.file(), path);
                assertTrue(report.checks().stream().noneMatch(c -> c.rule() == Rule.MIGRATION_NAMING && c.status() == CheckStatus.PASSED),
                        "database/migrations was not checked in its place: " + path);
                assertNull(report.migrations(), "no set is recorded for a refused path");
            }
        }
    }

    @Test
    void duplicateTimestampsFail() {
        try (FixtureRepo repo = FixtureRepo.released()) {
            repo.write(DIR + "20260301000000_add_a.sql", "CREATE TABLE a (id INT);\n")
                    .write(DIR + "20260301000000_add_b.sql", "CREATE TABLE b (id INT);\n")
                    .release("v1.1.0");
            assertFailed(repo.validate(), Rule.MIGRATION_ORDER, "Migrations share timestamp 20260301000000");
        }
    }

    @Test
    void newMigrationOlderThanAReleasedOneFails() {
        try (FixtureRepo repo = FixtureRepo.released()) {
            repo.write(DIR + "20260120000000_add_carts.sql", "CREATE TABLE carts (id INT);\n").release("v1.1.0");
            Check c = assertFailed(repo.validate(), Rule.MIGRATION_ORDER,
                    "New migration 20260120000000_add_carts.sql sorts before migrations already released in v1.0.0");
            assertEquals(DIR + "20260120000000_add_carts.sql", c.file());
        }
    }

    @Test
    void schemaChangeWithoutMigrationFails() {
        try (FixtureRepo repo = FixtureRepo.released()) {
            repo.write("database/schema.sql", "CREATE TABLE orders (id UUID);\n").release("v1.1.0");
            repo.write("database/schema.sql", "CREATE TABLE orders (id UUID, coupon TEXT);\n").release("v1.2.0");
            assertFailed(repo.validate(), Rule.SCHEMA_CHANGE_WITHOUT_MIGRATION, "Schema changed since v1.1.0 (database/schema.sql) but no new migration");

            repo.write(DIR + "20260301000000_add_orders_coupon.sql", "ALTER TABLE orders ADD COLUMN coupon TEXT;\n").release("v1.3.0");
            repo.write("database/schema.sql", "CREATE TABLE orders (id UUID, coupon TEXT, gift BOOLEAN);\n")
                    .write(DIR + "20260302000000_add_orders_gift.sql", "ALTER TABLE orders ADD COLUMN gift BOOLEAN;\n").release("v1.4.0");
            assertStatus(repo.validate(), Rule.SCHEMA_CHANGE_WITHOUT_MIGRATION, CheckStatus.PASSED, "come with 1 new migration");
        }
    }

    @Test
    void renameColumnIsNotForwardCompatible() {
        try (FixtureRepo repo = FixtureRepo.released()) {
            repo.write(DIR + "20260301000000_rename_note.sql", "-- 004 calls this bad\nALTER TABLE orders RENAME COLUMN note TO remark;\n")
                    .release("v1.1.0");
            Report report = repo.validate();
            Check c = assertFailed(report, Rule.FORWARD_COMPATIBLE, "renames");
            assertEquals(DIR + "20260301000000_rename_note.sql", c.file());
            assertFailed(report, Rule.FORWARD_COMPATIBLE, "blue-green deployment");
        }
    }

    @Test
    void droppingAColumnTheCodeStillReadsFails() {
        try (FixtureRepo repo = FixtureRepo.released()) {
            repo.write(DIR + "20260301000000_drop_orders_note.sql", "ALTER TABLE orders DROP COLUMN note;\n").release("v1.1.0");
            assertFailed(repo.validate(), Rule.FORWARD_COMPATIBLE, "drops column note that this release still reads (services/api/src/server.js)");
        }
    }

    @Test
    void droppingAColumnOnlyTheRunningReleaseReadsFails() {
        try (FixtureRepo repo = FixtureRepo.released()) {
            repo.write(DIR + "20260301000000_drop_orders_note.sql", "ALTER TABLE orders DROP COLUMN IF EXISTS note;\n")
                    .edit("services/api/src/server.js", ", note: o.note ?? null", "")
                    .edit("services/api/src/server.js", "total_cents, note, created_at", "total_cents, created_at").release("v1.1.0");
            assertFailed(repo.validate(), Rule.FORWARD_COMPATIBLE, "that the running release v1.0.0 still reads");
        }
    }

    @Test
    void droppingAColumnNoCodeReadsAnyMorePasses() {
        try (FixtureRepo repo = FixtureRepo.released()) {
            repo.edit("services/api/src/server.js", ", note: o.note ?? null", "")
                    .edit("services/api/src/server.js", "total_cents, note, created_at", "total_cents, created_at").release("v1.1.0");
            repo.write(DIR + "20260301000000_drop_orders_note.sql", "ALTER TABLE orders DROP COLUMN note;\n").release("v1.2.0");
            assertPassed(repo.validate(), Rule.FORWARD_COMPATIBLE);
        }
    }

    @Test
    void typeChangesAndNotNullWithoutDefaultFail() {
        try (FixtureRepo repo = FixtureRepo.released()) {
            repo.write(DIR + "20260301000000_tighten_orders.sql", """
                    ALTER TABLE orders ALTER COLUMN total_cents TYPE BIGINT;
                    ALTER TABLE orders ADD COLUMN currency CHAR(3) NOT NULL;
                    ALTER TABLE orders ADD COLUMN channel TEXT NOT NULL DEFAULT 'web';
                    """).release("v1.1.0");
            Report report = repo.validate();
            assertFailed(report, Rule.FORWARD_COMPATIBLE, "changes a column type");
            assertFailed(report, Rule.FORWARD_COMPATIBLE, "adds NOT NULL column currency without a default");
            assertEquals(2, Reports.of(report, Rule.FORWARD_COMPATIBLE).size());
        }
    }

    @Test
    void prismaMigrationsAreTimestampedFoldersWithTheirScript() {
        try (FixtureRepo repo = FixtureRepo.released()) {
            String prisma = "prisma/migrations/";
            repo.edit("deploy.manifest.yaml", "tool: \"sql\"", "tool: \"prisma\"")
                    .edit("deploy.manifest.yaml", "path: \"database/migrations\"", "path: \"prisma/migrations\"")
                    .write(prisma + "migration_lock.toml", "provider = \"postgresql\"\n")
                    .write(prisma + "20260301000000_init/migration.sql", "CREATE TABLE carts (id INT);\n")
                    .write(prisma + "01_init/migration.sql", "CREATE TABLE wishes (id INT);\n")
                    .write(prisma + "20260302000000_no_script/README.md", "the script went missing\n")
                    .write(prisma + "20260303000000_loose.sql", "SELECT 1;\n")
                    .release("v1.1.0");
            Report report = repo.validate();

            Check valid = assertStatus(report, Rule.MIGRATION_NAMING, CheckStatus.PASSED, "Valid Prisma migration: 20260301000000_init");
            assertEquals(prisma + "20260301000000_init/migration.sql", valid.file());
            Check badName = assertFailed(report, Rule.MIGRATION_NAMING,
                    "Invalid Prisma migration folder name: 01_init (expected YYYYMMDDHHMMSS_description: Prisma generates timestamped names");
            assertEquals(prisma + "01_init", badName.file());
            assertTrue(badName.hint().contains("prisma migrate dev --name") && badName.hint().contains("20260115143022_init"), badName.hint());
            assertFailed(report, Rule.MIGRATION_NAMING, "Prisma migration folder 20260302000000_no_script has no migration.sql");
            assertFailed(report, Rule.MIGRATION_NAMING, "20260303000000_loose.sql is not a Prisma migration (expected prisma/migrations/"
                    + "YYYYMMDDHHMMSS_description/migration.sql)");
            assertEquals(4, Reports.of(report, Rule.MIGRATION_NAMING).size(), "the lock file is not a migration: " + Reports.dump(report));
        }
    }

    @Test
    void aMigrationToolRunwayDoesNotApplyIsRefusedNamingTheOnesItDoes() {
        try (FixtureRepo repo = FixtureRepo.released()) {
            repo.edit("deploy.manifest.yaml", "tool: \"sql\"", "tool: \"liquibase\"").release("v1.1.0");
            Check c = assertFailed(repo.validate(), Rule.MANIFEST_SCHEMA, "/database/migrations/tool");
            assertTrue(c.message().contains("sql") && c.message().contains("flyway") && c.message().contains("prisma"), c.message());
        }
    }
}
