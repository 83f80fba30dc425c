package dev.runway.cli.commands;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import dev.runway.cli.api.Views;

/** "previous" worked out as the orchestrator does (DeploymentService#rollbackEnvironment). */
class RollbackCommandTest {

    private static Views.Summary done(String version, String finished, boolean dryRun) {
        return new Views.Summary("id-" + version + finished, "acme-shop", version, "staging", "blue-green", "SUCCEEDED", null,
                dryRun, Instant.parse(finished).minusSeconds(60), Instant.parse(finished));
    }

    @Test
    void shouldFindTheNewestSucceededVersionOtherThanTheLiveOne() {
        List<Views.Summary> history = List.of(
                done("1.1.0", "2026-01-15T10:00:00Z", false),
                done("1.2.0", "2026-01-15T12:00:00Z", false),
                done("1.2.0", "2026-01-15T11:00:00Z", false),
                done("1.3.0", "2026-01-15T13:00:00Z", true),
                done("1.0.0", "2026-01-15T09:00:00Z", false));
        assertEquals(Optional.of("1.1.0"), RollbackCommand.previousVersion(history), "dry runs never count; 1.2.0 is live");
        assertEquals(Optional.empty(), RollbackCommand.previousVersion(List.of(done("1.0.0", "2026-01-15T09:00:00Z", false))));
        assertEquals(Optional.empty(), RollbackCommand.previousVersion(List.of()));
    }
}
