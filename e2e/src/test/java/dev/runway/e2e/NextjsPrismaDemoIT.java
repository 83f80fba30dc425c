package dev.runway.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * {@code ./runway demo nextjs} checked from the outside: examples/nextjs-prisma (Next.js, Prisma migrations) deployed
 * to staging on the host target twice, the second release rolled back. It runs the demo as a process, so it needs
 * nothing another test left running (the demo brings up the stack, builds and resets what it needs); then it reads
 * the orchestrator's API, the load generator's log of the nginx front, the front itself and the client database.
 */
class NextjsPrismaDemoIT {

    static final Path ROOT = Path.of(System.getProperty("runway.root", "..")).toAbsolutePath().normalize();
    static final Path STATE = System.getenv("RUNWAY_STATE") == null ? ROOT.resolve(".runway") : Path.of(System.getenv("RUNWAY_STATE"));
    static final String API = "http://127.0.0.1:8080";
    static final String FRONT = "http://127.0.0.1:8900/";
    static final String DATABASE = "runway_client_nextjs_prisma_staging";
    static final String INIT = "20261201090000_init";
    static final String REVIEWS = "20261215090000_add_reviews";
    static final Path MIGRATIONS = ROOT.resolve("examples/nextjs-prisma/prisma/migrations");
    static final ObjectMapper JSON = new ObjectMapper();
    static final HttpClient HTTP = HttpClient.newHttpClient();

    static String demoOutput;
    static int demoExit;
    static long demoSeconds;
    static String viewerToken;
    /** The project's deployments by version ("1.0.0", "1.1.0"), as GET /deployments/{id} shows them. */
    static Map<String, JsonNode> deployments;
    /** Whether the backing stack was up before the demo: if so, it is left up (the next test may be reading from it). */
    static boolean stackWasUp;

    @BeforeAll
    static void runTheDemo() throws Exception {
        stackWasUp = listening(9092);
        Path log = Files.createTempFile("runway-demo-nextjs", ".log");
        long t0 = System.nanoTime();
        Process demo = new ProcessBuilder(ROOT.resolve("runway").toString(), "demo", "nextjs").directory(ROOT.toFile())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        demo.getOutputStream().close();
        boolean ended = demo.waitFor(10, TimeUnit.MINUTES);
        demoSeconds = (System.nanoTime() - t0) / 1_000_000_000L;
        if (!ended) {
            demo.destroyForcibly();
        }
        demoOutput = Files.readString(log);
        System.out.println(demoOutput);
        assertTrue(ended, "./runway demo nextjs did not end within 10 minutes");
        demoExit = demo.exitValue();
        viewerToken = run(ROOT.resolve("runway").toString(), "token", "e2e-viewer", "viewer").strip();
        deployments = new LinkedHashMap<>();
        for (JsonNode item : get("/deployments?project=nextjs-prisma&size=20").get("items")) {
            JsonNode full = get("/deployments/" + item.get("id").asText());
            deployments.put(full.get("version").asText(), full);
        }
        System.out.printf("e2e: ./runway demo nextjs took %d s (exit %d); deployments %s%n", demoSeconds, demoExit, deployments.keySet());
    }

    /**
     * Stops what the demo started, and leaves the stack as the test found it: up if it was running before (or with
     * RUNWAY_KEEP_STACK=1, a shared stack), down if the demo started it.
     */
    @AfterAll
    static void demoDown() throws Exception {
        if (stackWasUp || "1".equals(System.getenv("RUNWAY_KEEP_STACK"))) {
            run(ROOT.resolve("runway").toString(), "down", "--keep-stack");
        } else {
            run(ROOT.resolve("runway").toString(), "down");
        }
    }

    @Test
    void theDemoEndsWithBothOutcomes() {
        assertEquals(0, demoExit, "./runway demo nextjs exit code");
        assertTrue(demoOutput.matches("(?s).*1\\. v1\\.0\\.0 → staging\\s+SUCCEEDED.*"), "outcome 1");
        assertTrue(demoOutput.matches("(?s).*2\\. v1\\.1\\.0 → staging, rolled back by an SRE\\s+ROLLED_BACK.*"), "outcome 2");
        assertFalse(demoOutput.contains("check failed"), "every check of the demo held");
        assertTrue(demoSeconds < 300, "the demo took " + demoSeconds + " s, more than 5 minutes");
    }

    @Test
    void bothReleasesWereServedThroughNginxAndV100ServesAgain() throws Exception {
        List<String[]> staging = Files.readAllLines(STATE.resolve("demo/traffic.log")).stream().map(l -> l.split(" "))
                .filter(f -> f.length == 4 && f[1].equals("staging")).toList();
        assertTrue(staging.stream().anyMatch(f -> f[2].equals("200") && f[3].equals("1.0.0")), "nginx's front served v1.0.0");
        assertTrue(staging.stream().anyMatch(f -> f[2].equals("200") && f[3].equals("1.1.0")), "nginx's front served v1.1.0");
        // After the rollback (the log ends well after it) the front answers v1.0.0 only.
        List<String[]> last = staging.subList(Math.max(0, staging.size() - 20), staging.size());
        assertTrue(last.stream().allMatch(f -> f[2].equals("200") && f[3].equals("1.0.0")),
                "the last answers: " + last.stream().map(f -> f[2] + " " + f[3]).toList());
        HttpResponse<String> page = HTTP.send(HttpRequest.newBuilder(URI.create(FRONT)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, page.statusCode());
        assertEquals("1.0.0", page.headers().firstValue("X-Release-Version").orElse(""));
        assertTrue(page.body().contains("Espresso beans") && !page.body().contains("reviews"), "v1.0.0's page, rendered from the database");
    }

    @Test
    void theSecondDeploymentMigratedThenWasRolledBackWithItsBackupRestored() {
        JsonNode first = deployments.get("1.0.0");
        JsonNode second = deployments.get("1.1.0");
        assertEquals("SUCCEEDED", first.get("state").asText());
        assertEquals("ROLLED_BACK", second.get("state").asText());
        assertEquals("COMPLETED", status(first, "apply-migrations", "FORWARD"));
        assertTrue(detail(first, "apply-migrations").contains(INIT), detail(first, "apply-migrations"));
        assertTrue(detail(second, "apply-migrations").contains(REVIEWS) && !detail(second, "apply-migrations").contains(INIT),
                "only the new migration: " + detail(second, "apply-migrations"));
        assertEquals("COMPLETED", status(second, "backup-database", "FORWARD"));
        assertEquals("COMPLETED", status(second, "apply-migrations", "FORWARD"));
        assertEquals("COMPLETED", status(second, "shift-traffic", "FORWARD"));
        // An SRE's rollback during the monitoring window: traffic back, green removed, the backup restored.
        assertTrue(events(second).stream().anyMatch(e -> e.contains("manual-rollback")), String.join("\n", events(second)));
        List<String> compensations = compensations(second);
        assertEquals("undo-apply-migrations", compensations.get(compensations.size() - 1), "the backup restored last: " + compensations);
        assertTrue(compensations.indexOf("undo-shift-traffic") >= 0
                && compensations.indexOf("undo-shift-traffic") < compensations.indexOf("undo-deploy-green"), "in reverse: " + compensations);
        second.get("steps").forEach(s -> {
            if ("COMPENSATION".equals(s.get("kind").asText())) {
                assertEquals("COMPLETED", s.get("status").asText(), s.toString());
            }
        });
    }

    @Test
    void prismaMigrationsHoldTheFirstReleaseOnlyWithPrismasChecksum() throws Exception {
        String checksum = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                .digest(Files.readAllBytes(MIGRATIONS.resolve(INIT).resolve("migration.sql"))));
        try (Connection db = connect(); ResultSet rows = db.createStatement().executeQuery(
                "select migration_name, checksum, finished_at is not null, rolled_back_at is null, applied_steps_count"
                        + " from _prisma_migrations order by migration_name")) {
            List<String> found = new ArrayList<>();
            while (rows.next()) {
                found.add(rows.getString(1) + " " + rows.getString(2) + " " + rows.getBoolean(3) + " " + rows.getBoolean(4) + " "
                        + rows.getInt(5));
            }
            assertEquals(List.of(INIT + " " + checksum + " true true 1"), found, "_prisma_migrations after the rollback");
        }
        // The demo printed both rows with their checksums while v1.1.0 was live.
        assertTrue(demoOutput.contains("_prisma_migrations  " + REVIEWS), "the demo saw the second migration recorded");
    }

    @Test
    void theDatabaseIsTheOneFromBeforeTheSecondMigration() throws Exception {
        try (Connection db = connect()) {
            List<String> tables = column(db, "select table_name from information_schema.tables where table_schema = 'public' order by 1");
            assertEquals(List.of("_prisma_migrations", "products"), tables);
            List<String> columns = column(db, "select column_name from information_schema.columns where table_name = 'products'"
                    + " order by ordinal_position");
            assertEquals(List.of("id", "name", "price_cents", "created_at"), columns);
            assertEquals(List.of("3"), column(db, "select count(*) from products"));
        }
    }

    // ------------------------------------------------------------------ helpers

    static String status(JsonNode d, String step, String kind) {
        for (JsonNode s : d.get("steps")) {
            if (s.get("name").asText().equals(step) && s.get("kind").asText().equals(kind)) {
                return s.get("status").asText();
            }
        }
        return "absent";
    }

    static String detail(JsonNode d, String step) {
        for (JsonNode s : d.get("steps")) {
            if (s.get("name").asText().equals(step)) {
                return s.path("detail").asText();
            }
        }
        return "";
    }

    static List<String> compensations(JsonNode d) {
        List<String> names = new ArrayList<>();
        d.get("steps").forEach(s -> {
            if ("COMPENSATION".equals(s.get("kind").asText())) {
                names.add(s.get("name").asText());
            }
        });
        return names;
    }

    static List<String> events(JsonNode d) {
        List<String> out = new ArrayList<>();
        d.get("events").forEach(e -> out.add(e.path("action").asText() + " " + e.path("detail").asText()));
        return out;
    }

    static List<String> column(Connection db, String sql) throws Exception {
        try (ResultSet rows = db.createStatement().executeQuery(sql)) {
            List<String> values = new ArrayList<>();
            while (rows.next()) {
                values.add(rows.getString(1));
            }
            return values;
        }
    }

    static Connection connect() throws Exception {
        return DriverManager.getConnection("jdbc:postgresql://127.0.0.1:5432/" + DATABASE, "runway", "runway");
    }

    static JsonNode get(String path) throws IOException, InterruptedException {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(API + path)).header("Authorization", "Bearer " + viewerToken)
                .build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), path + ": " + r.body());
        return JSON.readTree(r.body());
    }

    static String run(String... command) throws Exception {
        Process p = new ProcessBuilder(command).directory(ROOT.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(2, TimeUnit.MINUTES), String.join(" ", command));
        assertEquals(0, p.exitValue(), String.join(" ", command) + ": " + out);
        return out;
    }

    static boolean listening(int port) {
        try (Socket s = new Socket("127.0.0.1", port)) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
