package dev.runway.cli.commands;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;

import dev.runway.cli.Context;
import dev.runway.cli.ExitCodes;
import dev.runway.cli.GlobalOptions;
import dev.runway.cli.UsageException;
import dev.runway.cli.api.ApiClient;
import dev.runway.cli.api.Views;
import dev.runway.cli.deploy.DeployOptions;
import dev.runway.cli.deploy.Durations;
import dev.runway.cli.deploy.RequestBuilder;
import dev.runway.cli.timeline.Follower;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code runway deploy -e staging -v v1.2.3 [-c web] [--dry-run] [--wait]}: the seed's deploy.sh flags (sop.md 000-7). */
@Command(name = "deploy", sortOptions = false, usageHelpAutoWidth = true,
        description = "Requests a deployment (POST /deployments) and, with --wait, follows it to its end.",
        footer = { "", "Examples:", "  runway deploy -e staging -v v1.2.3", "  runway deploy -e production -v 1.2.3 -c web --wait",
                "  runway deploy -e staging -v 1.2.3 --strategy canary --wait --timeout 15m",
                "  runway deploy -e staging -v 1.2.3 --dry-run --output json" })
public class DeployCommand implements Callable<Integer> {

    @Option(names = { "-e", "--environment" }, paramLabel = "<env>", description = "development, staging, uat or production.")
    String environment;

    @Option(names = { "-v", "--version" }, paramLabel = "<version>", description = "Release to deploy: 1.2.3 or v1.2.3 (sent as 1.2.3).")
    String version;

    @Option(names = { "-c", "--components" }, split = ",", paramLabel = "<name>", description = "all (default) or component names: web,api.")
    List<String> components;

    @Option(names = "--strategy", paramLabel = "<strategy>", description = "blue-green, canary or rolling (default: the manifest's).")
    String strategy;

    @Option(names = "--dry-run", description = "Simulate: the executor answers with its plan; nothing changes.")
    boolean dryRun;

    @Option(names = "--wait", description = "Follow the deployment until it ends, printing its timeline.")
    boolean waitForEnd;

    @Option(names = "--timeout", paramLabel = "<duration>", description = "Give up waiting after this long (15m, 90s, 1h; implies --wait). Exit 4.")
    String timeout;

    @Option(names = { "-p", "--project" }, paramLabel = "<project>", description = "Project (default: the manifest's project.name).")
    String project;

    @Option(names = "--manifest", paramLabel = "<file>", description = "Deploy manifest (default: <repo>/deploy.manifest.yaml), sent as text.")
    Path manifest;

    @Option(names = "--repo", paramLabel = "<dir>", description = "Project folder (default: .); a git work tree is sent as url, HEAD commit, branch.")
    Path repo;

    @Option(names = "--idempotency-key", paramLabel = "<key>", description = "Idempotency-Key header (default: a new random one); the same key and body give the same deployment.")
    String idempotencyKey;

    @Option(names = "--ci-evidence", paramLabel = "<ref>", description = "Reference of the passed CI run (URL or id), for the validator.")
    String ciEvidence;

    @Option(names = "--scan-report", paramLabel = "<file>", description = "Vulnerability scan report (npm audit, Trivy or OSV JSON), for the validator.")
    Path scanReport;

    @Option(names = "--skip-validation", hidden = true)
    boolean skipValidation;

    @Option(names = "--skip-backup", hidden = true)
    boolean skipBackup;

    @Mixin
    GlobalOptions global;

    private final Context ctx;

    public DeployCommand(Context ctx) {
        this.ctx = ctx;
    }

    /** RUNWAY_SNAPSHOT_DIR: set by ./runway and cli/bin/runway-cli to .runway/snapshots, the validator's allowed root. */
    private Path snapshotDir() {
        String dir = ctx.console().env().get("RUNWAY_SNAPSHOT_DIR");
        return dir == null || dir.isBlank() ? null : Path.of(dir);
    }

    @Override
    public Integer call() throws InterruptedException {
        if (skipValidation || skipBackup) {
            // The seed's deploy.sh had these escape hatches; Runway's saga always validates and backs up (sop.md 000-1.2).
            throw new UsageException((skipValidation ? "--skip-validation" : "--skip-backup")
                    + " is not offered: every Runway deployment is validated and its database backed up before migrations");
        }
        Context.Settings s = ctx.settings(global);
        Duration limit = timeout == null ? null : Durations.parse(timeout);
        boolean follow = waitForEnd || limit != null;
        RequestBuilder.Built built = RequestBuilder.build(new DeployOptions(environment, version, components, strategy, dryRun,
                project, manifest, repo, ciEvidence, scanReport, snapshotDir()));
        built.notes().forEach(n -> ctx.console().err().println("note: " + n));
        String key = idempotencyKey == null || idempotencyKey.isBlank() ? UUID.randomUUID().toString() : idempotencyKey.strip();
        ApiClient api = ctx.api(s);
        ApiClient.Response answer = api.post("deployments", built.body(), Map.of("Idempotency-Key", key));
        Views.Deployment d = answer.as(Views.Deployment.class);
        String location = api.absolute(answer.location().orElse("/deployments/" + d.id()));
        if (!s.json()) {
            var out = ctx.console().out();
            out.println("Deployment " + d.id() + " requested: " + d.project() + " " + d.version() + " → " + d.environment()
                    + " (" + d.strategy() + (d.dryRun() ? ", dry run" : "") + ")");
            out.println("Location: " + location);
            if (answer.replayed()) {
                out.println("(replayed: this Idempotency-Key was used before for the same request; nothing new was started)");
            }
            if (!follow) {
                out.println("Follow it: runway logs " + d.id() + " --follow");
            }
        }
        Follower.Result result = ctx.acceptedOrFollowed(s, api, d.id(), answer.json(), follow, limit);
        return result == null ? ExitCodes.OK : result.exitCode();
    }
}
