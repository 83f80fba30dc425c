package dev.runway.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.Callable;

import org.junit.jupiter.api.Test;

import dev.runway.cli.api.ApiClient;
import dev.runway.cli.api.UnreachableException;
import dev.runway.cli.console.Console;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Final states and failures → the documented exit codes, through the CLI's own error handling. */
class ExitCodesTest {

    @Test
    void shouldMapFinalStates() {
        assertEquals(0, ExitCodes.ofState("SUCCEEDED"));
        assertEquals(1, ExitCodes.ofState("FAILED"));
        assertEquals(1, ExitCodes.ofState("ROLLED_BACK"));
        assertEquals(1, ExitCodes.ofState("CANCELLED"));
        assertEquals(3, ExitCodes.ofState("NEEDS_ATTENTION"));
        for (String running : new String[] { "REQUESTED", "VALIDATING", "AWAITING_APPROVAL", "AWAITING_WINDOW", "QUEUED",
                "BACKING_UP", "MIGRATING", "DEPLOYING", "VERIFYING", "SHIFTING", "MONITORING", "COMPENSATING" }) {
            assertFalse(ExitCodes.isFinal(running), running);
        }
        assertTrue(ExitCodes.isFinal("ROLLED_BACK"));
    }

    /** A command that fails the way an API call can. */
    @Command(name = "boom")
    static final class Boom implements Callable<Integer> {
        private final RuntimeException failure;

        Boom(RuntimeException failure) {
            this.failure = failure;
        }

        @Override
        public Integer call() {
            throw failure;
        }
    }

    private record Outcome(int code, String err) {
    }

    private static Outcome runFailing(RuntimeException failure) {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream errStream = new PrintStream(err, true, StandardCharsets.UTF_8);
        Context ctx = new Context(new Console(new PrintStream(new ByteArrayOutputStream()), errStream, Map.of(), false), Clock.systemUTC());
        CommandLine cli = RunwayCli.commandLine(ctx);
        cli.addSubcommand(new Boom(failure));
        int code = cli.execute("boom");
        return new Outcome(code, err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void shouldPrintProblemsReadablyWithExitFiveOrSix() {
        Outcome refused = runFailing(ApiClient.error(409, "{\"title\":\"Conflict\",\"status\":409,"
                + "\"detail\":\"Idempotency-Key already used for a different request\"}"));
        assertEquals(5, refused.code());
        assertEquals("error: 409 Conflict: Idempotency-Key already used for a different request", refused.err().strip());

        Outcome failed = runFailing(ApiClient.error(500, "{\"title\":\"Internal Server Error\",\"status\":500,\"detail\":\"logged\"}"));
        assertEquals(6, failed.code());

        Outcome unreachable = runFailing(new UnreachableException("cannot reach the orchestrator at http://127.0.0.1:8080/"));
        assertEquals(6, unreachable.code());
        assertTrue(unreachable.err().contains("./runway up"), unreachable.err());

        Outcome usage = runFailing(new UsageException("bad"));
        assertEquals(2, usage.code());

        Outcome bug = runFailing(new IllegalStateException("oops"));
        assertEquals(RunwayCli.INTERNAL_ERROR, bug.code());
        assertFalse(bug.err().contains("\tat "), "no stack trace");
    }
}
