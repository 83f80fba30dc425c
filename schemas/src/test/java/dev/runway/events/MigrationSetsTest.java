package dev.runway.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;

/** The checksums the validator records and the executor compares. */
class MigrationSetsTest {

    private static final String A = "20260101000000_create_orders.sql";
    private static final String B = "20260102000000_add_status.sql";

    @Test
    void theSetIsOrderedByNameAndItsChecksumCoversNamesAndBytes() {
        Map<String, byte[]> files = new LinkedHashMap<>();
        files.put(B, bytes("alter table orders add column status text;"));
        files.put(A, bytes("create table orders (id int);"));
        MigrationSet set = MigrationSets.of("database/migrations", files);
        assertEquals(A, set.getFiles().get(0).getFile());
        assertEquals(64, set.getSha256().length());
        assertEquals(MigrationSets.sha256(bytes("create table orders (id int);")), set.getFiles().get(0).getSha256());
        String lines = A + " " + set.getFiles().get(0).getSha256() + "\n" + B + " " + set.getFiles().get(1).getSha256() + "\n";
        assertEquals(MigrationSets.sha256(bytes(lines)), set.getSha256());
        assertEquals(Optional.empty(), MigrationSets.difference(set, MigrationSets.of("database/migrations", Map.of(
                A, bytes("create table orders (id int);"), B, bytes("alter table orders add column status text;")))));
    }

    @Test
    void everyDifferenceNamesTheFile() {
        MigrationSet validated = MigrationSets.of("db", Map.of(A, bytes("create table orders (id int);")));
        MigrationSet changed = MigrationSets.of("db", Map.of(A, bytes("drop table customers;")));
        assertNotEquals(validated.getSha256(), changed.getSha256());
        String why = MigrationSets.difference(validated, changed).orElseThrow();
        assertTrue(why.startsWith("db/" + A + " changed after validation"), why);
        assertTrue(MigrationSets.difference(validated, MigrationSets.of("db", Map.of(A, bytes("create table orders (id int);"),
                B, bytes("drop table orders;")))).orElseThrow().startsWith("db/" + B + " was not validated"));
        assertTrue(MigrationSets.difference(validated, MigrationSets.of("db", Map.of())).orElseThrow()
                .startsWith("db/" + A + " was validated but is missing"));
        assertTrue(MigrationSets.difference(validated, MigrationSets.of("other", Map.of(A, bytes("create table orders (id int);"))))
                .orElseThrow().contains("not the validated db"));
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
