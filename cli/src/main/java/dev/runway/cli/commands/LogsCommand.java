package dev.runway.cli.commands;

import java.time.Duration;
import java.util.concurrent.Callable;

import dev.runway.cli.Context;
import dev.runway.cli.ExitCodes;
import dev.runway.cli.GlobalOptions;
import dev.runway.cli.api.ApiClient;
import dev.runway.cli.api.Views;
import dev.runway.cli.deploy.Durations;
import dev.runway.cli.timeline.Follower;
import dev.runway.cli.timeline.Timeline;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code runway logs <id> [--follow]}: the deployment's timeline (steps, decisions, approvals). */
@Command(name = "logs", sortOptions = false, usageHelpAutoWidth = true,
        description = { "Prints a deployment's timeline (steps, health decisions, approvals, lock events).",
                "Each step with its time and detail, health decisions with their evidence; --follow keeps",
                "printing until the deployment ends." })
public class LogsCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "<id>", description = "Deployment id.")
    String id;

    @Option(names = { "-f", "--follow" }, description = "Keep following until the deployment ends; exit code of its final state.")
    boolean follow;

    @Option(names = "--timeout", paramLabel = "<duration>", description = "Give up following after this long (implies --follow). Exit 4.")
    String timeout;

    @Mixin
    GlobalOptions global;

    private final Context ctx;

    public LogsCommand(Context ctx) {
        this.ctx = ctx;
    }

    @Override
    public Integer call() throws InterruptedException {
        String checked = Ids.check(id);
        Duration limit = timeout == null ? null : Durations.parse(timeout);
        Context.Settings s = ctx.settings(global);
        ApiClient api = ctx.api(s);
        if (follow || limit != null) {
            Follower.Result result = ctx.follower(s, api, checked).follow(limit);
            if (s.json() && result.last() != null) {
                ctx.printJson(result.last().json());
            }
            return result.exitCode();
        }
        ApiClient.Response answer = api.get("deployments/" + checked);
        if (s.json()) {
            ctx.printJson(answer.json());
            return ExitCodes.OK;
        }
        print(ctx, answer.as(Views.Deployment.class));
        return ExitCodes.OK;
    }

    /** The whole timeline of one snapshot, with the summary when it has ended (shared with status). */
    static void print(Context ctx, Views.Deployment d) {
        Timeline timeline = ctx.timeline();
        var out = ctx.console().out();
        out.println(timeline.header(d));
        timeline.update(d).forEach(out::println);
        if (ExitCodes.isFinal(d.state())) {
            out.println(timeline.summary(d));
        } else {
            timeline.progress(d, ctx.clock().instant()).ifPresent(out::println);
            out.println("(" + d.state() + "; follow it: runway logs " + d.id() + " --follow)");
        }
    }
}
