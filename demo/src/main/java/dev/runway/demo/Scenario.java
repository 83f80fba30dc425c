package dev.runway.demo;

import static dev.runway.demo.Console.die;
import static dev.runway.demo.Console.line;
import static dev.runway.demo.Console.printf;
import static dev.runway.demo.Console.say;
import static dev.runway.demo.Console.section;
import static dev.runway.demo.Console.warn;
import static dev.runway.demo.DemoProjects.BLOG;
import static dev.runway.demo.DemoProjects.SHOP;

import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * {@code run}: the demo itself, on the services {@code ./runway demo} started after {@code prepare}. demo-shop
 * (client runway-demo) and nova-blog (client nova-media) v1.0.0 to development and staging at the same time, then
 * demo-shop's canary, its breach and rollback, and production with two approvals, under traffic; the board, the
 * outcomes and the URLs. Deployments go through the CLI, whose timelines are the demo's output; what the demo only
 * needs to know (a state, a front, a step done) it reads from the API.
 */
final class Scenario {

    static final String ORCHESTRATOR = "http://127.0.0.1:8080";
    static final String HEALTH_WATCHER = "http://127.0.0.1:8083";
    static final Pattern UUID = Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
    static final Duration DEPLOYED_WITHIN = Duration.ofSeconds(120);

    static final String URLS = """

            Look around (demo traffic keeps flowing until ./runway down):
              API                  http://127.0.0.1:8080/projects        token: ./runway token <you> deployer,viewer
              OpenAPI              http://127.0.0.1:8080/q/openapi       (bearer token; the UI is in ./mvnw quarkus:dev)
              SRE decisions page   http://127.0.0.1:8083/                (sign in with a token)
              metrics              http://127.0.0.1:8080/q/metrics       (token: ./runway token prometheus metrics)
              DORA                 http://127.0.0.1:8080/metrics/dora?project=demo-shop
              notifications        http://127.0.0.1:8084/deliveries      (bearer token)
              the releases         ./runway status --board lists each project environment's front
              timelines            ./runway logs <id>      a project environment: ./runway status -e staging -p demo-shop
              stop everything      ./runway down
            """;

    /** A deployment running beside the followed one; its outcome is collected later. */
    record Background(String label, Process process, File output) {
    }

    private final Settings settings;
    private final Path demo;
    private final Path trafficLog;
    private final Tokens tokens;
    private final List<String> results = new ArrayList<>();
    private final List<Background> background = new ArrayList<>();
    private RunwayCli cli;
    private RunwayApi api;

    Scenario(Settings settings) {
        this.settings = settings;
        this.demo = settings.demoDir();
        this.trafficLog = demo.resolve("traffic.log");
        this.tokens = new Tokens(settings.root(), settings.state());
    }

    void run() throws Exception {
        // dana works for both clients; each approver below only for demo-shop's client.
        String dana = tokens.of("dana", "deployer,viewer", "runway-demo/*,nova-media/*");
        cli = new RunwayCli(settings.root(), ORCHESTRATOR, dana);
        api = new RunwayApi(ORCHESTRATOR, dana);
        DemoRepository shop = DemoRepository.open(demo.resolve(SHOP), SHOP);
        long scenarios = System.nanoTime();

        twoClientsAtOnce();
        canary(shop);
        breachAndRollback(shop);
        productionWithTwoApprovals();

        section("The board: every project environment, live side by side");
        if (cli.show("status", "--board") != 0) {
            warn("the board could not be read");
        }

        section("Outcome");
        results.forEach(r -> printf("  %s%n", r));
        printf("  deployments: %d s; the whole demo: %d s (stack, build and start included)%n",
                Duration.ofNanos(System.nanoTime() - scenarios).toSeconds(),
                settings.started() > 0 ? System.currentTimeMillis() / 1000 - settings.started() : 0);
        Console.OUT.print(URLS);
        Console.flush();
    }

    private void twoClientsAtOnce() throws Exception {
        section("1. Two clients at once: demo-shop and nova-blog v1.0.0 to development and staging (blue-green)");
        line("demo-shop (client runway-demo) and nova-blog (client nova-media) share no lock: their sagas run side by side");
        // Fronts come from each environment's port range in the order project environments first deploy there:
        // demo-shop deploys first (8800, 8900), nova-blog joins once demo-shop's releases are in their slots (8801, 8901).
        startTraffic(20, "development=http://127.0.0.1:8800/", "staging=http://127.0.0.1:8900/", "production=http://127.0.0.1:8700/",
                BLOG + "/development=http://127.0.0.1:8801/", BLOG + "/staging=http://127.0.0.1:8901/");
        say("demo traffic: 20 requests/s to each project environment's nginx front (log: " + trafficLog + ")");
        inBackground("demo-shop v1.0.0 → staging (baseline)", SHOP, "staging", "v1.0.0", "blue-green");
        String id = request("demo-shop development not accepted", SHOP, "development", "v1.0.0", "blue-green",
                "https://ci.demo-shop.example.com/runs/1");
        awaitDeployedGreen(id);
        inBackground("nova-blog v1.0.0 → development", BLOG, "development", "v1.0.0", "blue-green");
        inBackground("nova-blog v1.0.0 → staging", BLOG, "staging", "v1.0.0", "blue-green");
        line("deployment " + id + " (demo-shop → development), followed; nova-blog's two deployments run beside it");
        follow("1. v1.0.0 → development", id, 0);
        awaitBackground();
        for (String project : DemoProjects.ALL) {
            for (String env : List.of("development", "staging")) {
                String front = api.front(project, env).orElseThrow(() -> die("no front reported for " + project + " in " + env));
                printf("  %-10s %-12s %-26s answers %s%n", project, env, front, api.answer(front));
            }
        }
        line("development traffic, last 3 s: demo-shop " + traffic("development", 3) + "; nova-blog "
                + traffic(BLOG + "/development", 3));
    }

    private void canary(DemoRepository shop) throws Exception {
        section("2. v1.1.0 (migration: orders.status) to staging as a canary 10 → 25 → 50 → 100 %");
        shop.release(release("v1.1.0"), "demo-shop v1.1.0", "v1.1.0", null);
        deploy("2. v1.1.0 → staging, canary", 0, "staging", "v1.1.0", "canary");
        line("staging traffic, last 3 s: demo-shop " + traffic("staging", 3) + "; nova-blog, untouched: "
                + traffic(BLOG + "/staging", 3));
    }

    private void breachAndRollback(DemoRepository shop) throws Exception {
        section("3. v1.2.0 (migration: orders.channel; fails half its requests) to staging as a canary");
        shop.release(release("v1.2.0"), "demo-shop v1.2.0", "v1.2.0", "release/1.2");
        String id = deploy("3. v1.2.0 → staging: breach, rollback", 1, "staging", "v1.2.0", "canary");
        shop.checkout("main");
        rollbackReport(id);
        List<String> columns;
        try {
            columns = new Databases(settings).columns(DemoProjects.database(SHOP, "staging"), "orders");
        } catch (SQLException e) {
            warn("the staging database could not be read: " + e.getMessage());
            columns = List.of();
        }
        printf("  staging database  orders(%s): the DOWN section of 1.2.0 removed channel, 1.1.0 keeps status%n",
                String.join(", ", columns));
        line("  nova-blog in staging meanwhile: " + traffic(BLOG + "/staging", 20));
    }

    private void productionWithTwoApprovals() throws Exception {
        section("4. v1.1.0 to production: two approvals from two people, then blue-green");
        String id = request("production deployment not accepted", SHOP, "production", "v1.1.0", "blue-green",
                "https://ci.demo-shop.example.com/runs/2");
        line("deployment " + id + ", requested by dana; alex and sam approve in a few seconds");
        Thread approvals = new Thread(() -> approve(id), "approvals");
        approvals.start();
        int exit = cli.show("logs", id, "--follow");
        if (exit != 0) {
            warn("production: the CLI exited " + exit + ", expected 0");
        }
        results.add(result("4. v1.1.0 → production, two approvals", id));
        approvals.join();
        Thread.sleep(2_000);
        line("production traffic, last 2 s: " + traffic("production", 2));
    }

    /** Two other people approve, each with a token scoped to demo-shop's client. */
    private void approve(String id) {
        try {
            long requested = System.nanoTime();
            String alex = tokens.of("alex", "approver,viewer", "runway-demo/*");
            String sam = tokens.of("sam", "approver,viewer", "runway-demo/demo-shop");
            Thread.sleep(Math.max(0, 4_000 - Duration.ofNanos(System.nanoTime() - requested).toMillis()));
            cli.as(alex).quietly("approve", id, "--comment", "change reviewed");
            Thread.sleep(1_000);
            cli.as(sam).quietly("approve", id, "--comment", "release notes checked");
        } catch (IOException e) {
            warn("an approval could not be given: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    // ------------------------------------------------------------------ deployments

    /** A deployment of demo-shop followed live (the CLI's timeline); its outcome goes to the table. */
    private String deploy(String label, int expectedExit, String env, String version, String strategy) throws Exception {
        String id = request(label + ": the deployment was not accepted", SHOP, env, version, strategy, evidence(SHOP));
        line("deployment " + id);
        follow(label, id, expectedExit);
        return id;
    }

    /** Asks for a deployment and returns its id, without following it. */
    private String request(String refusal, String project, String env, String version, String strategy, String ciEvidence)
            throws Exception {
        JsonNode accepted;
        try {
            accepted = cli.json(deployArgs(project, env, version, strategy, ciEvidence));
        } catch (RunwayCli.CliFailure e) {
            throw die(refusal + ": " + e.output.strip());
        }
        String id = accepted.path("id").asText("");
        if (!UUID.matcher(id).matches()) {
            throw die(refusal + ": no deployment id in: " + accepted);
        }
        return id;
    }

    private void follow(String label, String id, int expectedExit) throws Exception {
        int exit = cli.show("logs", id, "--follow");
        results.add(result(label, id));
        if (exit != expectedExit) {
            warn(label + ": the CLI exited " + exit + ", expected " + expectedExit);
        }
    }

    private String result(String label, String id) {
        return String.format("%-42s %-14s %s", label, api.state(id), id);
    }

    private void inBackground(String label, String project, String env, String version, String strategy) throws IOException {
        List<String> args = new ArrayList<>(List.of(deployArgs(project, env, version, strategy, evidence(project))));
        args.addAll(List.of("--wait", "--output", "json"));
        File output = demo.resolve(project + "-" + env + ".json").toFile();
        background.add(new Background(label, cli.background(output, args.toArray(String[]::new)), output));
    }

    private void awaitBackground() throws InterruptedException {
        for (Background b : background) {
            if (b.process().waitFor() != 0) {
                throw die(b.label() + " did not succeed (see " + b.output() + ")");
            }
            line("  " + b.label() + ": SUCCEEDED");
        }
        background.clear();
    }

    /** Until the deployment's release is in its slot (its project environment's ports are then taken). */
    private void awaitDeployedGreen(String id) throws InterruptedException {
        long deadline = System.nanoTime() + DEPLOYED_WITHIN.toNanos();
        while (!deployedGreen(id)) {
            if (System.nanoTime() > deadline) {
                throw die("deployment " + id + " did not deploy its release within " + DEPLOYED_WITHIN.toSeconds() + " s");
            }
            Thread.sleep(500);
        }
    }

    private boolean deployedGreen(String id) throws InterruptedException {
        try {
            return api.completed(id, "deploy-green");
        } catch (IOException e) {
            return false; // not readable yet: asked again
        }
    }

    private String[] deployArgs(String project, String env, String version, String strategy, String ciEvidence) {
        return new String[] { "deploy", "-p", project, "--repo", demo.resolve(project).toString(), "--ci-evidence", ciEvidence,
                "-e", env, "-v", version, "--strategy", strategy };
    }

    private static String evidence(String project) {
        return "https://ci." + project + ".example.com/runs/" + ThreadLocalRandom.current().nextInt(32_768);
    }

    private Path release(String version) {
        return settings.root().resolve("examples/demo-shop-releases").resolve(version);
    }

    // ------------------------------------------------------------------ traffic

    private void startTraffic(int perSecond, String... fronts) throws IOException {
        Traffic.start(settings, trafficLog, perSecond, fronts);
    }

    /** Which release answered an environment's front over the last seconds of demo traffic. */
    private String traffic(String environment, int seconds) throws IOException {
        return TrafficLog.read(trafficLog).since(environment, System.currentTimeMillis() - seconds * 1000L);
    }

    /** When the health-watcher decided, and when staging's traffic was back on v1.1.0. */
    private void rollbackReport(String id) {
        String decisions = HEALTH_WATCHER + "/decisions?deploymentId=" + id;
        try {
            Optional<List<String>> report = TrafficLog.read(trafficLog).rollbackReport("staging", "1.2.0", "1.1.0", api.get(decisions));
            if (report.isPresent()) {
                report.get().forEach(Console::line);
            } else {
                line("no ThresholdBreached decision found at " + decisions);
                warn("no rollback report");
            }
        } catch (IOException e) {
            warn("no rollback report: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
