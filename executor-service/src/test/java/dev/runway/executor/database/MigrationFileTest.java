package dev.runway.executor.database;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import dev.runway.executor.repository.CommitTree;

/** The sop.md 000-8.1/000-8.2 file form, without a database. */
class MigrationFileTest {

    static final Path OK = Path.of("src/test/resources/client-project/ok/database/migrations");

    @Test
    void shouldSplitTheTemplateIntoUpWithoutTransactionControlAndAnUncommentedDown() throws IOException {
        String name = "20260115150000_add_user_preferences_table.sql";
        MigrationFile m = MigrationFile.of(name, Files.readString(OK.resolve(name)));

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
    void shouldOrderByVersionSkipOtherFilesAndRejectFilesOffTheNamingConvention() {
        List<CommitTree.File> files = List.of(file("20260115150000_b.sql"), file("README.md"), file("20260115143022_a.sql"));
        assertEquals(List.of("20260115143022", "20260115150000"), MigrationFile.of(files).stream().map(MigrationFile::version).toList());

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> MigrationFile.of(List.of(file("V1__flyway_style.sql"))));
        assertTrue(e.getMessage().contains("YYYYMMDDHHMMSS_descriptive_name.sql"), e.getMessage());
    }

    static CommitTree.File file(String name) {
        return new CommitTree.File(name, "SELECT 1;".getBytes(StandardCharsets.UTF_8));
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
