package dev.runway.cli.commands;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.runway.cli.CliRun;
import dev.runway.cli.FakeOrchestrator;
import dev.runway.cli.api.Json;

/** status --board, status -e [-p] and rollback -p against a local HTTP server that answers as the orchestrator would. */
class ProjectCommandsTest {

    static final String TOKEN = "eyJhbGciOiJSUzI1NiJ9.board-token.sig";

    /** The orchestrator's GET /projects: clients, each with its projects and their environments. */
    static final String BOARD = """
            {"clients": [
              {"client": "acme", "projects": [
                {"project": "demo-shop", "safeName": "demo-shop", "environments": [
                  {"environment": "staging",
                   "live": [{"component": "web", "version": "1.2.0", "deploymentId": "d-1", "releasedAt": "2026-12-01T10:00:00Z",
                             "front": "http://127.0.0.1:8801/"},
                            {"component": "api", "version": "1.1.0", "deploymentId": "d-0", "releasedAt": "2026-11-30T10:00:00Z"}],
                   "lock": {"deploymentId": "0f8fad5b-d9cb-469f-a165-70867728950e", "fencingToken": 12},
                   "queue": [{"id": "q-1", "project": "demo-shop", "version": "1.3.0", "environment": "staging", "state": "QUEUED"}],
                   "lastOutcome": {"deploymentId": "d-1", "version": "1.2.0", "state": "SUCCEEDED"}},
                  {"environment": "production", "live": [], "lock": null, "queue": [], "lastOutcome": null}
                ]}
              ]},
              {"client": "globex", "projects": [
                {"project": "shop", "environments": [
                  {"environment": "staging", "live": [{"component": "web", "version": "9.9.10"}],
                   "lastOutcome": {"version": "9.9.10", "state": "ROLLED_BACK"}, "extra": {"ignored": true}}
                ]}
              ]},
              {"client": "initech", "projects": [{"project": "fresh"}]}
            ]}""";

    FakeOrchestrator api;

    @TempDir
    Path empty;

    @BeforeEach
    void start() throws Exception {
        api = new FakeOrchestrator();
    }

    @AfterEach
    void stop() {
        api.close();
    }

    private CliRun run(String... args) {
        return CliRun.of(Map.of("RUNWAY_URL", api.url(), "RUNWAY_TOKEN", TOKEN), args);
    }

    @Test
    void shouldRenderTheBoardAsOneRowPerProjectEnvironment() {
        api.answer("GET /projects", 200, BOARD);
        CliRun run = run("status", "--board");
        assertEquals(0, run.code(), run.all());
        List<String> lines = run.out().lines().toList();
        assertTrue(lines.get(0).matches("CLIENT +PROJECT +ENVIRONMENT +LIVE +LOCK +QUEUE +LAST"), lines.get(0));
        assertTrue(run.out().lines().anyMatch(l -> l.matches("acme +demo-shop +staging +web 1\\.2\\.0, api 1\\.1\\.0 +0f8fad5b #12 +1 \\(1\\.3\\.0\\) +SUCCEEDED 1\\.2\\.0")),
                run.out());
        assertTrue(run.out().lines().anyMatch(l -> l.matches("acme +demo-shop +production +- +free +- +-")), run.out());
        // Fields missing from the answer show as "-": an orchestrator that sends less never breaks the board.
        assertTrue(run.out().lines().anyMatch(l -> l.matches("globex +shop +staging +web 9\\.9\\.10 +free +- +ROLLED_BACK 9\\.9\\.10")), run.out());
        assertTrue(run.out().lines().anyMatch(l -> l.matches("initech +fresh +- +\\(nothing deployed\\) +- +- +-")), run.out());
        assertTrue(run.out().contains("3 projects"), run.out());
        assertEquals(List.of(new FakeOrchestrator.Request("GET", "/projects", "Bearer " + TOKEN, "")), api.requests());
        assertFalse(run.all().contains(TOKEN), "the token is never printed");
    }

    @Test
    void shouldPrintTheBoardsJsonAsIsWithOutputJson() {
        api.answer("GET /projects", 200, "{\"clients\": []}");
        CliRun run = run("status", "--board", "--output", "json");
        assertEquals(0, run.code(), run.all());
        assertEquals("{\n  \"clients\" : [ ]\n}", run.out().strip());
        CliRun none = run("status", "--board");
        assertEquals("No project has been deployed yet.", none.out().strip());
    }

    @Test
    void shouldShowOneProjectEnvironmentWithItsFront() {
        api.answer("GET /projects/demo-shop/environments/staging", 200, """
                {"project": "demo-shop", "client": "acme", "environment": "staging", "front": "http://127.0.0.1:8801/",
                 "live": [{"component": "web", "version": "1.2.0", "deploymentId": "d-1", "releasedAt": "2026-12-01T10:00:00Z",
                           "front": "http://127.0.0.1:8801/"}],
                 "lock": null, "queue": [],
                 "recent": [{"id": "d-1", "project": "demo-shop", "version": "1.2.0", "environment": "staging", "strategy": "CANARY",
                             "state": "SUCCEEDED", "dryRun": false, "createdAt": "2026-12-01T09:58:00Z"}]}""");
        CliRun run = run("status", "-e", "STAGING", "-p", "demo-shop");
        assertEquals(0, run.code(), run.all());
        assertTrue(run.out().contains("Project      demo-shop (client acme)"), run.out());
        assertTrue(run.out().contains("Lock         free"), run.out());
        assertTrue(run.out().contains("Front        http://127.0.0.1:8801/"), run.out());
        assertTrue(run.out().lines().anyMatch(l -> l.matches("  web +1\\.2\\.0 +since .* deployment d-1  front http://127\\.0\\.0\\.1:8801/")), run.out());
        assertTrue(run.out().contains("Queue\n  (empty)"), run.out());
        assertTrue(run.out().lines().anyMatch(l -> l.contains("d-1") && l.contains("SUCCEEDED")), run.out());
        assertEquals("/projects/demo-shop/environments/staging", api.requests().get(0).path());
    }

    @Test
    void shouldShowAnEnvironmentAcrossProjectsWithoutP() {
        api.answer("GET /environments/staging", 200, """
                {"environment": "staging", "projects": [
                  {"project": "demo-shop", "client": "acme", "live": [{"component": "web", "version": "1.2.0"}],
                   "lock": {"deploymentId": "d-9", "fencingToken": 3}, "queue": [],
                   "recent": [{"id": "d-9", "version": "1.3.0", "state": "RUNNING"}]},
                  {"project": "shop", "client": "globex", "live": [{"component": "web", "version": "9.9.10"}]}
                ]}""");
        CliRun run = run("status", "-e", "staging");
        assertEquals(0, run.code(), run.all());
        assertTrue(run.out().contains("Environment  staging (all projects)"), run.out());
        assertTrue(run.out().lines().anyMatch(l -> l.matches("acme +demo-shop +web 1\\.2\\.0 +d-9 #3 +- +RUNNING 1\\.3\\.0")), run.out());
        assertTrue(run.out().lines().anyMatch(l -> l.matches("globex +shop +web 9\\.9\\.10 +free +- +-")), run.out());
    }

    @Test
    void shouldRollBackAProjectEnvironmentNamedWithP() throws Exception {
        api.answer("POST /projects/demo-shop/environments/production/rollback", 202, """
                {"id": "0f8fad5b-d9cb-469f-a165-70867728950e", "project": "demo-shop", "version": "1.1.0", "environment": "production",
                 "state": "REQUESTED", "dryRun": false}""", Map.of("Location", "/deployments/0f8fad5b-d9cb-469f-a165-70867728950e"));
        CliRun run = run("rollback", "production", "-p", "demo-shop", "--reason", "error budget", "--repo", empty.toString());
        assertEquals(0, run.code(), run.all());
        assertTrue(run.out().contains("Rollback of demo-shop on production to 1.1.0: deployment 0f8fad5b-d9cb-469f-a165-70867728950e"), run.out());
        FakeOrchestrator.Request sent = api.requests().get(0);
        assertEquals("POST", sent.method());
        assertEquals("/projects/demo-shop/environments/production/rollback", sent.path());
        assertEquals("Bearer " + TOKEN, sent.authorization());
        assertEquals("error budget", Json.MAPPER.readTree(sent.body()).path("reason").asText(), sent.body());
    }

    @Test
    void shouldAskForPWhenNoManifestNamesTheProject() {
        CliRun rollback = run("rollback", "staging", "--repo", empty.toString());
        assertEquals(2, rollback.code(), rollback.all());
        assertTrue(rollback.err().contains("name the project with -p"), rollback.err());
        CliRun both = run("status", "--board", "-e", "staging");
        assertEquals(2, both.code(), both.all());
        assertTrue(both.err().contains("--board shows every project"), both.err());
        assertTrue(api.requests().isEmpty(), "usage errors never reach the API");
    }

    @Test
    void shouldPrintTheRefusalOfAProjectOfAnotherClient() {
        api.answer("GET /projects/globex-shop/environments/staging", 403, """
                {"type": "about:blank", "title": "Forbidden", "status": 403,
                 "detail": "your token does not allow project globex-shop of client globex"}""");
        CliRun run = run("status", "-e", "staging", "-p", "globex-shop");
        assertEquals(5, run.code(), run.all());
        assertTrue(run.err().contains("403 Forbidden: your token does not allow project globex-shop"), run.err());
    }
}
