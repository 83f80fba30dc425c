package dev.runway.demo;

import static dev.runway.demo.Console.die;
import static dev.runway.demo.Console.line;
import static dev.runway.demo.Console.printf;
import static dev.runway.demo.Console.say;
import static dev.runway.demo.Console.section;
import static dev.runway.demo.DemoProjects.NEXTJS;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * {@code ./runway demo nextjs}: examples/nextjs-prisma, a Next.js application whose schema is Prisma's, on the host
 * target behind nginx. Release v1.0.0 (migration {@code init}) to staging; release v1.1.0 (migration
 * {@code add_reviews}: a table and a column) to staging, checked while its monitoring window runs, then rolled back by
 * an SRE ({@code runway rollback --deployment}): traffic back on v1.0.0 and the database restored from the backup
 * taken before the migration. Each release is built once per build key (scripts/build.sh: npm ci + next build, kept
 * under the state's builds/). What the demo claims it checks, and it stops (exit 1) when a check fails.
 */
final class NextjsScenario {

    static final String ENVIRONMENT = "staging";
    /** The first project environment to deploy to staging after the reset gets the environment's first front. */
    static final String FRONT = "http://127.0.0.1:8900/";
    static final String INIT = "20261201090000_init";
    static final String REVIEWS = "20261215090000_add_reviews";
    static final Duration MONITORING_WITHIN = Duration.ofSeconds(180);
    static final Duration FRONT_WITHIN = Duration.ofSeconds(20);

    static final String URLS = """

            Look around (demo traffic keeps flowing until ./runway down):
              the shop             %s                 (next start of v1.0.0 behind Runway's nginx)
              its metrics          http://127.0.0.1:9200/q/metrics     (v1.0.0's slot, blue, as the health-watcher reads it)
              timelines            ./runway logs <id>      the project environment: ./runway status -e staging -p nextjs-prisma
              builds               %s
              stop everything      ./runway down
            """;

    private final Settings settings;
    private final Path demo;
    private final Path trafficLog;
    private final Tokens tokens;
    private final Databases databases;
    private final String database;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final List<String> results = new ArrayList<>();
    private final List<String> builds = new ArrayList<>();
    private RunwayCli cli;
    private RunwayApi api;

    NextjsScenario(Settings settings) {
        this.settings = settings;
        this.demo = settings.demoDir();
        this.trafficLog = demo.resolve("traffic.log");
        this.tokens = new Tokens(settings.root(), settings.state());
        this.databases = new Databases(settings);
        this.database = DemoProjects.database(NEXTJS, ENVIRONMENT);
    }

    void run() throws Exception {
        String dana = tokens.of("dana", "deployer,viewer", "runway-demo/*");
        cli = new RunwayCli(settings.root(), Scenario.ORCHESTRATOR, dana);
        api = new RunwayApi(Scenario.ORCHESTRATOR, dana);
        DemoRepository repo = DemoRepository.open(demo.resolve(NEXTJS), NEXTJS);
        long deployments = System.nanoTime();

        Traffic.start(settings, trafficLog, 10, ENVIRONMENT + "=" + FRONT);
        say("demo traffic: 10 requests/s to nextjs-prisma's staging front " + FRONT + " (log: " + trafficLog + ")");

        section("1. nextjs-prisma v1.0.0 (Prisma migration init) to staging: next start behind nginx");
        build(repo, "v1.0.0");
        String first = deploy("1. v1.0.0 → staging", "v1.0.0", 0);
        expectServed("1.0.0", "Espresso beans");
        String initChecksum = checksum(repo, INIT);
        expectMigrations(List.of(INIT), List.of(initChecksum));
        line("staging traffic, last 3 s: " + traffic(3));

        section("2. v1.1.0 (Prisma migration add_reviews: table reviews, column products.in_stock) to staging");
        repo.release(settings.root().resolve("examples/nextjs-prisma-releases/v1.1.0"), "nextjs-prisma v1.1.0", "v1.1.0", null);
        build(repo, "v1.1.0");
        String second = request("v1.1.0");
        line("deployment " + second + ": validation, backup, migration, green slot, traffic; its monitoring window is 20 s");
        awaitMonitoring(second);
        expectServed("1.1.0", "reviews");
        expectMigrations(List.of(INIT, REVIEWS), List.of(initChecksum, checksum(repo, REVIEWS)));
        expect(!databases.columns(database, "reviews").isEmpty(), "table reviews exists after the migration");
        expect(databases.columns(database, "products").contains("in_stock"), "column products.in_stock exists after the migration");
        line("staging traffic, last 3 s: " + traffic(3));

        section("3. An SRE rolls v1.1.0 back during its monitoring window: traffic to v1.0.0, database restored from the backup");
        String sam = tokens.of("sam", "sre,viewer", "runway-demo/" + NEXTJS);
        line("sam: runway rollback --deployment " + second + " --wait");
        int exit = cli.as(sam).show("rollback", "--deployment", second, "--reason", "reviews need another look", "--wait");
        // --wait printed the deployment's timeline: the stopped monitor, then the compensations in reverse order.
        expect(exit == 0, "runway rollback --deployment --wait exited 0 (ROLLED_BACK), not " + exit);
        results.add(result("2. v1.1.0 → staging, rolled back by an SRE", second));
        expectServed("1.0.0", "Espresso beans");
        expectMigrations(List.of(INIT), List.of(initChecksum));
        expect(databases.columns(database, "reviews").isEmpty(), "table reviews is gone (restored from the backup)");
        List<String> products = databases.columns(database, "products");
        expect(!products.contains("in_stock"), "column products.in_stock is gone (restored from the backup)");
        printf("  staging database  products(%s), no table reviews, _prisma_migrations: %s only%n", String.join(", ", products), INIT);
        line("staging traffic, last 3 s: " + traffic(3));

        section("Outcome");
        results.forEach(r -> printf("  %s%n", r));
        builds.forEach(b -> printf("  %s%n", b));
        printf("  deployments: %d s; the whole demo: %d s (stack, build and start included)%n",
                Duration.ofNanos(System.nanoTime() - deployments).toSeconds(),
                settings.started() > 0 ? System.currentTimeMillis() / 1000 - settings.started() : 0);
        Console.OUT.printf(URLS, FRONT, settings.nextjsBuilds());
        Console.flush();
        if (first.equals(second)) {
            throw die("the two deployments have one id");
        }
    }

    // ------------------------------------------------------------------ builds

    /** The release in the repository's work tree (its tag's files), built once per build key by the example's own script. */
    private void build(DemoRepository repo, String version) throws IOException, InterruptedException {
        Path log = settings.logsDir().resolve("nextjs-build.log");
        Files.createDirectories(settings.nextjsBuilds());
        List<String> before;
        try (var listing = Files.list(settings.nextjsBuilds())) {
            before = listing.map(p -> p.getFileName().toString()).toList();
        }
        long t0 = System.nanoTime();
        Process p = new ProcessBuilder("sh", repo.dir().resolve("scripts/build.sh").toString(), settings.nextjsBuilds().toString())
                .directory(repo.dir().toFile()).redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
                .redirectError(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        String key = new String(p.getInputStream().readAllBytes()).strip();
        if (p.waitFor() != 0 || key.isEmpty()) {
            throw die("the build of nextjs-prisma " + version + " failed (see " + log + ")");
        }
        long seconds = Duration.ofNanos(System.nanoTime() - t0).toSeconds();
        Path times = settings.nextjsBuilds().resolve(key).resolve(".next/runway-build-times");
        String how = before.contains(key) ? "cached"
                : "built in " + seconds + " s" + (Files.exists(times) ? " (" + Files.readString(times).strip() + ")" : "");
        builds.add(String.format("%-42s %s, build %s", "build of " + version, how, key));
        say("nextjs-prisma " + version + ": build " + key + " " + how + " (" + settings.nextjsBuilds() + "; log " + log + ")");
    }

    // ------------------------------------------------------------------ deployments

    private String deploy(String label, String version, int expectedExit) throws Exception {
        String id = request(version);
        line("deployment " + id);
        int exit = cli.show("logs", id, "--follow");
        results.add(result(label, id));
        expect(exit == expectedExit, label + ": the CLI exited " + exit + ", expected " + expectedExit);
        return id;
    }

    private String request(String version) throws Exception {
        JsonNode accepted;
        try {
            accepted = cli.json("deploy", "-p", NEXTJS, "--repo", demo.resolve(NEXTJS).toString(), "--ci-evidence",
                    "https://ci.nextjs-prisma.example.com/runs/" + version, "-e", ENVIRONMENT, "-v", version, "--strategy", "blue-green");
        } catch (RunwayCli.CliFailure e) {
            throw die(version + ": the deployment was not accepted: " + e.output.strip());
        }
        String id = accepted.path("id").asText("");
        if (!Scenario.UUID.matcher(id).matches()) {
            throw die(version + ": no deployment id in: " + accepted);
        }
        return id;
    }

    /** Until the deployment's monitoring window runs: the new release takes all of the front's traffic. */
    private void awaitMonitoring(String id) throws Exception {
        long deadline = System.nanoTime() + MONITORING_WITHIN.toNanos();
        while (true) {
            JsonNode view = api.deployment(id);
            for (JsonNode s : view.path("steps")) {
                if ("monitor".equals(s.path("name").asText()) && "FORWARD".equals(s.path("kind").asText())
                        && "RUNNING".equals(s.path("status").asText())) {
                    line("v1.1.0 is live and monitored (" + completedSteps(view) + ")");
                    return;
                }
            }
            String state = view.path("state").asText("?");
            if (List.of("SUCCEEDED", "FAILED", "ROLLED_BACK", "NEEDS_ATTENTION", "CANCELLED").contains(state)) {
                cli.show("logs", id);
                throw die("deployment " + id + " ended " + state + " before its monitoring window");
            }
            if (System.nanoTime() > deadline) {
                throw die("deployment " + id + " did not reach its monitoring window within " + MONITORING_WITHIN.toSeconds() + " s");
            }
            Thread.sleep(300);
        }
    }

    private static String completedSteps(JsonNode view) {
        List<String> done = new ArrayList<>();
        for (JsonNode s : view.path("steps")) {
            if ("COMPLETED".equals(s.path("status").asText())) {
                done.add(s.path("name").asText());
            }
        }
        return "done: " + String.join(", ", done);
    }

    private String result(String label, String id) {
        return String.format("%-42s %-14s %s", label, api.state(id), id);
    }

    // ------------------------------------------------------------------ checks

    /** The front answers the release (X-Release-Version) with a page that shows the text, within a few seconds. */
    private void expectServed(String version, String text) throws Exception {
        long deadline = System.nanoTime() + FRONT_WITHIN.toNanos();
        String seen = "no answer";
        while (System.nanoTime() < deadline) {
            try {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(FRONT)).timeout(Duration.ofSeconds(5)).build(),
                        HttpResponse.BodyHandlers.ofString());
                String release = r.headers().firstValue("X-Release-Version").orElse("-");
                seen = r.statusCode() + " from " + release;
                if (r.statusCode() == 200 && version.equals(release) && r.body().contains(text)) {
                    printf("  %s answers 200 from %s (next start behind nginx); the page shows \"%s\"%n", FRONT, release, text);
                    return;
                }
            } catch (IOException e) {
                seen = e.toString();
            }
            Thread.sleep(250);
        }
        throw die(FRONT + " did not serve " + version + " with \"" + text + "\" (last: " + seen + ")");
    }

    /** {@code _prisma_migrations} holds exactly these migrations, finished, with the SHA-256 of their files. */
    private void expectMigrations(List<String> names, List<String> checksums) throws SQLException {
        List<Databases.PrismaMigration> rows = databases.prismaMigrations(database);
        expect(rows.stream().map(Databases.PrismaMigration::name).toList().equals(names),
                "_prisma_migrations holds " + names + ", not " + rows);
        for (int i = 0; i < rows.size(); i++) {
            Databases.PrismaMigration row = rows.get(i);
            expect(row.finished() && row.appliedSteps() == 1 && row.checksum().equals(checksums.get(i)),
                    "_prisma_migrations row " + row + " is finished with the file's checksum " + checksums.get(i));
            printf("  _prisma_migrations  %-28s checksum %s… = SHA-256 of its migration.sql, finished%n", row.name(),
                    row.checksum().substring(0, 16));
        }
    }

    private static String checksum(DemoRepository repo, String migration) throws IOException {
        try {
            byte[] sql = Files.readAllBytes(repo.dir().resolve("prisma/migrations").resolve(migration).resolve("migration.sql"));
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(sql));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    private static void expect(boolean holds, String what) {
        if (!holds) {
            throw die("check failed: " + what);
        }
    }

    private String traffic(int seconds) throws IOException {
        return TrafficLog.read(trafficLog).since(ENVIRONMENT, System.currentTimeMillis() - seconds * 1000L);
    }
}
