package dev.runway.cli.commands;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;

import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.runway.cli.Context;
import dev.runway.cli.ExitCodes;
import dev.runway.cli.GlobalOptions;
import dev.runway.cli.UsageException;
import dev.runway.cli.api.ApiClient;
import dev.runway.cli.api.Json;
import dev.runway.cli.api.Views;
import dev.runway.cli.deploy.Durations;
import dev.runway.cli.deploy.Environments;
import dev.runway.cli.deploy.RequestBuilder;
import dev.runway.cli.deploy.Versions;
import dev.runway.cli.timeline.Follower;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code runway rollback production [previous] -p <project>} (sop.md 000-10.1: POST /projects/{project}/environments/{env}/rollback)
 * and {@code runway rollback --deployment <id>} (a running deployment: POST /deployments/{id}/rollback).
 */
@Command(name = "rollback", sortOptions = false, usageHelpAutoWidth = true,
        description = { "Rolls an environment back to its previous version, or a running deployment (--deployment).",
                "Project environment: POST /projects/{project}/environments/{env}/rollback;",
                "deployment: POST /deployments/{id}/rollback." },
        footer = { "", "The orchestrator rolls an environment back to the previous version only; naming a version is",
                "accepted when it is that previous version. To put any other release live, deploy it.", "",
                "Examples:", "  runway rollback production previous -p acme-shop --wait",
                "  runway rollback --deployment 0f8fad5b-d9cb-469f-a165-70867728950e --reason 'error budget'" })
public class RollbackCommand implements Callable<Integer> {

    @Parameters(index = "0", arity = "0..1", paramLabel = "<environment>", description = "development, staging, uat or production.")
    String environment;

    @Parameters(index = "1", arity = "0..1", paramLabel = "previous|<version>", description = "previous (default), or the previous version by name.")
    String target;

    @Option(names = "--deployment", paramLabel = "<id>", description = "Roll back this running deployment instead (compensates its steps in reverse).")
    String deployment;

    @Option(names = { "-p", "--project" }, paramLabel = "<project>", description = "Project (default: project.name of deploy.manifest.yaml in --repo).")
    String project;

    @Option(names = "--repo", paramLabel = "<dir>", description = "Where to find deploy.manifest.yaml for the project name (default: .).")
    Path repo;

    @Option(names = "--reason", paramLabel = "<text>", description = "Why (recorded in the audit log).")
    String reason;

    @Option(names = "--wait", description = "Follow the rollback until it ends.")
    boolean waitForEnd;

    @Option(names = "--timeout", paramLabel = "<duration>", description = "Give up waiting after this long (implies --wait). Exit 4.")
    String timeout;

    @Mixin
    GlobalOptions global;

    private final Context ctx;

    public RollbackCommand(Context ctx) {
        this.ctx = ctx;
    }

    @Override
    public Integer call() throws InterruptedException {
        Duration limit = timeout == null ? null : Durations.parse(timeout);
        boolean follow = waitForEnd || limit != null;
        if (deployment != null) {
            if (environment != null || target != null) {
                throw new UsageException("give either --deployment <id> or an environment, not both");
            }
            return deploymentRollback(Ids.check(deployment), follow, limit);
        }
        if (environment == null) {
            throw new UsageException("name the environment to roll back (runway rollback production previous) or --deployment <id>");
        }
        return environmentRollback(Environments.normalise(environment), follow, limit);
    }

    private int deploymentRollback(String id, boolean follow, Duration limit) throws InterruptedException {
        Context.Settings s = ctx.settings(global);
        ApiClient api = ctx.api(s);
        ApiClient.Response answer = api.post("deployments/" + id + "/rollback", note(), Map.of());
        Views.Deployment d = answer.as(Views.Deployment.class);
        if (!s.json()) {
            ctx.console().out().println("Rollback of deployment " + d.id() + " requested (" + d.project() + " " + d.version() + " → "
                    + d.environment() + ", now " + d.state() + ")");
        }
        Follower.Result result = ctx.acceptedOrFollowed(s, api, d.id(), answer.json(), follow, limit);
        if (result == null) {
            return ExitCodes.OK;
        }
        // Here ROLLED_BACK is what was asked for; NEEDS_ATTENTION means a compensation failed.
        if (result.exitCode() == ExitCodes.TIMEOUT || result.last() == null) {
            return result.exitCode();
        }
        return switch (result.last().view().state()) {
            case "ROLLED_BACK" -> ExitCodes.OK;
            case "NEEDS_ATTENTION" -> ExitCodes.NEEDS_ATTENTION;
            default -> ExitCodes.DEPLOYMENT_FAILED;
        };
    }

    private int environmentRollback(String env, boolean follow, Duration limit) throws InterruptedException {
        Context.Settings s = ctx.settings(global);
        String name = project != null && !project.isBlank() ? project.strip() : projectFromManifest();
        ApiClient api = ctx.api(s);
        if (target != null && !target.equalsIgnoreCase("previous")) {
            checkNamedVersion(api, env, name, Versions.normalise(target));
        }
        ApiClient.Response answer = api.post("projects/" + ApiClient.segment(name) + "/environments/" + env + "/rollback", note(), Map.of());
        Views.Deployment d = answer.as(Views.Deployment.class);
        if (!s.json()) {
            var out = ctx.console().out();
            out.println("Rollback of " + name + " on " + env + " to " + d.version() + ": deployment " + d.id());
            out.println("Location: " + api.absolute(answer.location().orElse("/deployments/" + d.id())));
            if (!follow) {
                out.println("Follow it: runway logs " + d.id() + " --follow");
            }
        }
        Follower.Result result = ctx.acceptedOrFollowed(s, api, d.id(), answer.json(), follow, limit);
        return result == null ? ExitCodes.OK : result.exitCode();
    }

    /**
     * The API offers "previous" only. A named version is accepted when it is that previous version
     * (worked out as the orchestrator does: the newest succeeded, non-dry-run deployment is live; the
     * previous is the newest succeeded one of another version); anything else is refused here.
     */
    private void checkNamedVersion(ApiClient api, String env, String name, String wanted) {
        Views.Page page = api.get("deployments?environment=" + env + "&project=" + URLEncoder.encode(name, StandardCharsets.UTF_8)
                + "&state=SUCCEEDED&size=200").as(Views.Page.class);
        Optional<String> previous = previousVersion(page.items() == null ? List.of() : page.items());
        if (previous.isEmpty() || !previous.get().equals(wanted)) {
            throw new UsageException("the orchestrator rolls " + env + " back to the previous version only"
                    + previous.map(p -> " (" + p + ")").orElse(" (none is known)") + ", not to " + wanted
                    + "; to put " + wanted + " live, deploy it: runway deploy -e " + env + " -v " + wanted + " -p " + name);
        }
    }

    static Optional<String> previousVersion(List<Views.Summary> succeeded) {
        List<Views.Summary> real = succeeded.stream().filter(x -> !x.dryRun())
                .sorted(Comparator.comparing((Views.Summary x) -> x.finishedAt() == null ? Instant.MIN : x.finishedAt()).reversed())
                .toList();
        if (real.isEmpty()) {
            return Optional.empty();
        }
        String live = real.get(0).version();
        return real.stream().map(Views.Summary::version).filter(v -> !v.equals(live)).findFirst();
    }

    private String projectFromManifest() {
        Path dir = repo == null ? Path.of(".") : repo;
        Path manifest = dir.resolve(RequestBuilder.MANIFEST);
        if (!Files.isRegularFile(manifest)) {
            throw new UsageException("name the project with -p (no " + RequestBuilder.MANIFEST + " in " + dir.toAbsolutePath().normalize() + ")");
        }
        return RequestBuilder.projectNameOf(RequestBuilder.readManifest(manifest), manifest);
    }

    private ObjectNode note() {
        ObjectNode body = Json.MAPPER.createObjectNode();
        if (reason != null && !reason.isBlank()) {
            body.put("reason", reason.strip());
        }
        return body;
    }
}
