package dev.runway.executor.database;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The sop.md 000-8.1/000-8.2 file form, without a database. */
class MigrationFileTest {

    static final Path OK = Path.of("src/test/resources/client-project/ok/database/migrations");

    @Test
    void shouldSplitTheTemplateIntoUpWithoutTransactionControlAndAnUncommentedDown() {
        MigrationFile m = MigrationFile.read(OK.resolve("20260115150000_add_user_preferences_table.sql"));

        assertEquals("20260115150000", m.version());
        assertEquals("add user preferences table", m.description());
        assertEquals("20260115150000_add_user_preferences_table", m.name());
        assertTrue(m.up().contains("CREATE TABLE IF NOT EXISTS user_preferences"));
        assertFalse(m.up().lines().anyMatch(l -> l.trim().equalsIgnoreCase("BEGIN;") || l.trim().equalsIgnoreCase("COMMIT;")),
                "Flyway's transaction is the only one");
        assertFalse(m.up().contains("DROP TABLE"), "the DOWN section is not part of UP");
        assertEquals(Optional.of("DROP TABLE IF EXISTS user_preferences;"), m.down());
    }

    @Test
    void shouldScanInVersionOrderAndRejectFilesOffTheNamingConvention(@TempDir Path dir) throws Exception {
        assertEquals(List.of("20260115143022", "20260115150000"), MigrationFile.scan(OK).stream().map(MigrationFile::version).toList());

        Files.writeString(dir.resolve("V1__flyway_style.sql"), "SELECT 1;");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> MigrationFile.scan(dir));
        assertTrue(e.getMessage().contains("YYYYMMDDHHMMSS_descriptive_name.sql"), e.getMessage());
    }

    @Test
    void shouldHaveNoDownWhenTheSectionIsMissingOrOnlyDecoration() {
        assertEquals(Optional.empty(), MigrationFile.parse("20260101000000_x.sql", "20260101000000", "x",
                "BEGIN;\nCREATE TABLE x (id int);\nCOMMIT;\n").down());
        assertEquals(Optional.empty(), MigrationFile.parse("20260101000000_x.sql", "20260101000000", "x",
                "CREATE TABLE x (id int);\n-- ═════\n-- DOWN MIGRATION (for rollback)\n-- ═════\n-- BEGIN;\n-- COMMIT;\n").down());
    }

    @Test
    void shouldChangeTheChecksumWhenTheFileChanges() {
        int a = MigrationFile.parse("f.sql", "1", "f", "CREATE TABLE a (id int);").checksum();
        int b = MigrationFile.parse("f.sql", "1", "f", "CREATE TABLE b (id int);").checksum();
        assertNotEquals(a, b, "Flyway's validation then refuses an edited, already applied migration");
    }
}
