package dev.runway.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Argument parsing, usage errors (exit 2), an unreachable orchestrator (exit 6) and the token kept secret. */
class CommandLineTest {

    static final String TOKEN = "eyJhbGciOiJSUzI1NiJ9.secret-token-value.sig";

    static String closedUrl;

    @TempDir
    Path project;

    @BeforeAll
    static void closedPort() throws IOException {
        // A port nothing listens on: the real "connection refused" an absent orchestrator gives.
        try (ServerSocket socket = new ServerSocket(0)) {
            closedUrl = "http://127.0.0.1:" + socket.getLocalPort();
        }
    }

    private Path manifest() throws IOException {
        Files.writeString(project.resolve("deploy.manifest.yaml"), "version: \"1.0\"\nproject:\n  name: \"acme-shop\"\n");
        return project;
    }

    @Test
    void shouldExitWithUsageWhenNoCommandIsGiven() {
        CliRun run = CliRun.of();
        assertEquals(2, run.code());
        assertTrue(run.err().contains("name a command"), run.err());
    }

    @Test
    void shouldPrintHelpWithExitCodesAndExitZero() {
        CliRun run = CliRun.of("--help");
        assertEquals(0, run.code());
        assertTrue(run.out().contains("deploy") && run.out().contains("rollback") && run.out().contains("Exit codes"), run.out());
    }

    @Test
    void shouldRefuseUnknownOptionWithUsage() {
        CliRun run = CliRun.of("deploy", "-e", "staging", "-v", "1.0.0", "--bogus");
        assertEquals(2, run.code());
        assertTrue(run.err().contains("Unknown option: '--bogus'"), run.err());
        assertTrue(run.err().contains("usage: runway deploy"), run.err());
    }

    @Test
    void shouldRefuseUnknownEnvironmentBeforeCallingTheApi() throws IOException {
        CliRun run = CliRun.of("deploy", "-e", "stagign", "-v", "1.0.0", "--repo", manifest().toString(), "--url", closedUrl);
        assertEquals(2, run.code());
        assertTrue(run.err().contains("unknown environment 'stagign'"), run.err());
    }

    @Test
    void shouldRefuseAVersionThatIsNotSemver() throws IOException {
        CliRun run = CliRun.of("deploy", "-e", "staging", "-v", "v1.2", "--repo", manifest().toString(), "--url", closedUrl);
        assertEquals(2, run.code());
        assertTrue(run.err().contains("'v1.2' is not a semantic version"), run.err());
    }

    @Test
    void shouldRequireAVersion() throws IOException {
        CliRun run = CliRun.of("deploy", "-e", "staging", "--repo", manifest().toString());
        assertEquals(2, run.code());
        assertTrue(run.err().contains("a version is required"), run.err());
    }

    @Test
    void shouldRefuseUnknownStrategyAndBadTimeout() throws IOException {
        assertEquals(2, CliRun.of("deploy", "-e", "staging", "-v", "1.0.0", "--strategy", "big-bang", "--repo", manifest().toString()).code());
        CliRun run = CliRun.of("deploy", "-e", "staging", "-v", "1.0.0", "--timeout", "soon", "--repo", manifest().toString());
        assertEquals(2, run.code());
        assertTrue(run.err().contains("'soon' is not a duration"), run.err());
    }

    @Test
    void shouldRefuseSkipValidationRatherThanIgnoreIt() throws IOException {
        CliRun run = CliRun.of("deploy", "-e", "staging", "-v", "1.0.0", "--skip-validation", "--repo", manifest().toString());
        assertEquals(2, run.code());
        assertTrue(run.err().contains("--skip-validation is not offered"), run.err());
    }

    @Test
    void shouldRefuseADeployWithoutManifestOrProject() {
        CliRun run = CliRun.of("deploy", "-e", "staging", "-v", "1.0.0", "--repo", project.toString());
        assertEquals(2, run.code());
        assertTrue(run.err().contains("no deploy.manifest.yaml"), run.err());
    }

    @Test
    void shouldRefuseBadOutputFormatAndUrl() throws IOException {
        CliRun run = CliRun.of("deploy", "-e", "staging", "-v", "1.0.0", "--repo", manifest().toString(), "--output", "yaml");
        assertEquals(2, run.code());
        assertTrue(run.err().contains("--output must be text or json"), run.err());
        assertEquals(2, CliRun.of("status", "--url", "ftp://example.org").code());
    }

    @Test
    void shouldRefuseIdsThatAreNotUuids() {
        assertEquals(2, CliRun.of("approve", "12345").code());
        assertEquals(2, CliRun.of("logs", "not-an-id").code());
        assertEquals(2, CliRun.of("status", "nope").code());
        assertEquals(2, CliRun.of("rollback", "--deployment", "nope").code());
    }

    @Test
    void shouldRefuseContradictoryStatusAndRollbackArguments() {
        CliRun status = CliRun.of("status", "0f8fad5b-d9cb-469f-a165-70867728950e", "-e", "staging");
        assertEquals(2, status.code());
        assertTrue(status.err().contains("not both"), status.err());
        assertEquals(2, CliRun.of("rollback", "staging", "--deployment", "0f8fad5b-d9cb-469f-a165-70867728950e").code());
        CliRun noEnv = CliRun.of("rollback");
        assertEquals(2, noEnv.code());
        assertTrue(noEnv.err().contains("name the environment"), noEnv.err());
        assertEquals(2, CliRun.of("rollback", "staging", "previous", "--repo", project.toString()).code());
    }

    @Test
    void shouldExitSixWhenTheOrchestratorIsUnreachable() throws IOException {
        CliRun run = CliRun.of("deploy", "-e", "staging", "-v", "v1.0.0", "--repo", manifest().toString(), "--url", closedUrl);
        assertEquals(6, run.code());
        assertTrue(run.err().contains("cannot reach the orchestrator at " + closedUrl), run.err());
        assertEquals(6, CliRun.of("status", "--url", closedUrl).code());
        assertEquals(6, CliRun.of(Map.of("RUNWAY_URL", closedUrl), "status", "-e", "production").code());
    }

    @Test
    void shouldTakeGlobalOptionsBeforeTheCommandName() {
        CliRun run = CliRun.of("--url", closedUrl, "--no-color", "status");
        assertEquals(6, run.code());
        assertTrue(run.err().contains(closedUrl), run.err());
    }

    @Test
    void shouldNeverPrintTheToken() throws IOException {
        Path dir = manifest();
        CliRun fromOption = CliRun.of("deploy", "-e", "staging", "-v", "1.0.0", "--repo", dir.toString(), "--url", closedUrl,
                "--token", TOKEN);
        assertEquals(6, fromOption.code());
        assertFalse(fromOption.all().contains(TOKEN), fromOption.all());
        // picocli echoes unmatched arguments: a token pasted in the wrong place is masked too.
        CliRun misplaced = CliRun.of("approve", "0f8fad5b-d9cb-469f-a165-70867728950e", TOKEN, "--token=" + TOKEN);
        assertEquals(2, misplaced.code());
        assertFalse(misplaced.all().contains(TOKEN), misplaced.all());
        assertTrue(misplaced.all().contains("****"), misplaced.all());
        CliRun fromEnv = CliRun.of(Map.of("RUNWAY_TOKEN", TOKEN), "logs", TOKEN);
        assertEquals(2, fromEnv.code());
        assertFalse(fromEnv.all().contains(TOKEN), fromEnv.all());
    }
}
