package dev.runway.executor.commands;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import org.junit.jupiter.api.Test;

class CommandAgeTest {

    static final Duration MAX = Duration.ofMinutes(10);
    static final Instant ISSUED = Instant.parse("2026-12-03T12:00:00Z");

    @Test
    void aCommandIsAsOldAsItWasWhenItArrivedNotWhenAWorkerTookIt() {
        assertTrue(CommandAge.tooOld("DeployGreen", ISSUED, ISSUED.plusSeconds(599), MAX).isEmpty(),
                "received within the limit: runs, however long it then waits behind a 30-minute pg_dump");
        assertEquals(Optional.of(Duration.ofSeconds(601)), CommandAge.tooOld("DeployGreen", ISSUED, ISSUED.plusSeconds(601), MAX));
        assertEquals(Optional.of(Duration.ofHours(3)), CommandAge.tooOld("BackupDatabase", ISSUED, ISSUED.plus(Duration.ofHours(3)), MAX));
    }

    @Test
    void compensationsNeverExpire() {
        for (String undo : new String[] { "RemoveGreen", "RollbackTraffic", "UndoRollout", "RestoreDatabase" }) {
            assertTrue(CommandAge.tooOld(undo, ISSUED, ISSUED.plus(Duration.ofDays(2)), MAX).isEmpty(), undo);
        }
        assertTrue(CommandAge.tooOld("ShiftTraffic", ISSUED, ISSUED.plus(Duration.ofDays(2)), MAX).isPresent(),
                "a forward traffic step is no compensation");
    }
}
