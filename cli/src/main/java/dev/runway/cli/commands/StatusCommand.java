package dev.runway.cli.commands;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;

import dev.runway.cli.Context;
import dev.runway.cli.ExitCodes;
import dev.runway.cli.GlobalOptions;
import dev.runway.cli.UsageException;
import dev.runway.cli.api.ApiClient;
import dev.runway.cli.api.Json;
import dev.runway.cli.api.Views;
import dev.runway.cli.deploy.Environments;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code runway status [<id> | --board | -e env [-p project]]}: one deployment, the board of every project, a
 * project environment, an environment across projects, or the recent deployments.
 */
@Command(name = "status", sortOptions = false, usageHelpAutoWidth = true,
        description = { "Shows the recent deployments, one deployment (<id>), the board (--board) or an environment (-e).",
                "Without arguments: the most recent deployments (-p: of one project).", "<id>: one deployment (state, approvals, timeline).",
                "--board: every project and environment the token may see: live versions, lock, queue, last outcome (GET /projects).",
                "-e <env> -p <project>: one project environment (GET /projects/{project}/environments/{env}).",
                "-e <env>: that environment across projects (GET /environments/{env})." })
public class StatusCommand implements Callable<Integer> {

    static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss", Locale.ROOT);

    @Parameters(index = "0", arity = "0..1", paramLabel = "<id>", description = "Deployment id.")
    String id;

    @Option(names = { "-e", "--environment" }, paramLabel = "<env>", description = "Show this environment.")
    String environment;

    @Option(names = { "-p", "--project" }, paramLabel = "<project>",
            description = "With -e: that project's environment; otherwise list only this project's deployments.")
    String project;

    @Option(names = "--board", description = "Every project with its environments (GET /projects).")
    boolean board;

    @Option(names = "--state", paramLabel = "<state>", description = "List only deployments in this state (e.g. FAILED).")
    String state;

    @Option(names = "--limit", paramLabel = "<n>", defaultValue = "20", description = "How many to list (1-200, default 20).")
    int limit;

    @Mixin
    GlobalOptions global;

    private final Context ctx;

    public StatusCommand(Context ctx) {
        this.ctx = ctx;
    }

    @Override
    public Integer call() {
        if (id != null && environment != null) {
            throw new UsageException("give a deployment id or -e <env>, not both");
        }
        if (board && (id != null || environment != null || project != null || state != null)) {
            throw new UsageException("--board shows every project; give it alone (or use -e <env> [-p <project>])");
        }
        if (project != null && project.isBlank()) {
            throw new UsageException("-p needs a project name");
        }
        if (limit < 1 || limit > 200) {
            throw new UsageException("--limit must be between 1 and 200");
        }
        String checkedId = id == null ? null : Ids.check(id);
        String env = environment == null ? null : Environments.normalise(environment);
        Context.Settings s = ctx.settings(global);
        ApiClient api = ctx.api(s);
        ApiClient.Response answer;
        String name = project == null ? null : project.strip();
        if (board) {
            answer = api.get("projects");
        } else if (checkedId != null) {
            answer = api.get("deployments/" + checkedId);
        } else if (env != null && name != null) {
            answer = api.get("projects/" + ApiClient.segment(name) + "/environments/" + env);
        } else if (env != null) {
            answer = api.get("environments/" + env);
        } else {
            StringBuilder q = new StringBuilder("deployments?size=" + limit);
            if (project != null) {
                q.append("&project=").append(URLEncoder.encode(project.strip(), StandardCharsets.UTF_8));
            }
            if (state != null) {
                q.append("&state=").append(URLEncoder.encode(state.strip().toUpperCase(Locale.ROOT), StandardCharsets.UTF_8));
            }
            answer = api.get(q.toString());
        }
        if (s.json()) {
            ctx.printJson(answer.json());
            return ExitCodes.OK;
        }
        if (board) {
            Board.board(ctx.console().out(), answer.json());
        } else if (checkedId != null) {
            deployment(answer.as(Views.Deployment.class));
        } else if (env != null && name != null) {
            projectEnvironment(answer.json(), name, env);
        } else if (env != null) {
            Board.environment(ctx.console().out(), answer.json());
        } else {
            Views.Page page = answer.as(Views.Page.class);
            table(page.items() == null ? List.of() : page.items());
            ctx.console().out().println(page.total() + " deployment" + (page.total() == 1 ? "" : "s")
                    + (page.total() > (page.items() == null ? 0 : page.items().size()) ? " (newest " + page.items().size() + " shown)" : ""));
        }
        return ExitCodes.OK;
    }

    private void deployment(Views.Deployment d) {
        var out = ctx.console().out();
        out.println("Deployment   " + d.id());
        out.println("Project      " + d.project() + " " + d.version() + (d.dryRun() ? " (dry run)" : ""));
        out.println("Environment  " + d.environment() + " (" + d.strategy() + (d.target() == null ? "" : " on " + d.target()) + ")");
        out.println("State        " + d.state() + (d.currentStep() == null ? "" : " at " + d.currentStep())
                + (d.reason() == null ? "" : ": " + d.reason()));
        out.println("Requested    by " + d.requestedBy() + " at " + when(d.createdAt()));
        if (d.approvals() != null && d.approvals().required() > 0) {
            out.println("Approvals    " + d.approvals().givenList().size() + " of " + d.approvals().required()
                    + (d.approvals().givenList().isEmpty() ? "" : " (" + String.join(", ", d.approvals().givenList()) + ")"));
        }
        if (d.fencingToken() != null) {
            out.println("Lock         fencing token " + d.fencingToken());
        }
        out.println();
        LogsCommand.print(ctx, d);
    }

    private void projectEnvironment(JsonNode view, String name, String env) {
        var out = ctx.console().out();
        Board.projectEnvironment(out, view, name, env, ZoneId.systemDefault());
        out.println();
        out.println("Queue");
        List<Views.Summary> queue = summaries(view.path("queue"));
        if (queue.isEmpty()) {
            out.println("  (empty)");
        } else {
            table(queue);
        }
        out.println();
        out.println("Recent deployments");
        table(summaries(view.path("recent")));
    }

    /** Summaries of a list; entries that are not summaries are left out rather than failing the view. */
    private static List<Views.Summary> summaries(JsonNode list) {
        List<Views.Summary> out = new ArrayList<>();
        for (JsonNode n : Board.array(list)) {
            try {
                out.add(Json.MAPPER.treeToValue(n, Views.Summary.class));
            } catch (JsonProcessingException | IllegalArgumentException e) {
                // not a deployment summary
            }
        }
        return out;
    }

    private void table(List<Views.Summary> rows) {
        var out = ctx.console().out();
        if (rows.isEmpty()) {
            out.println("  (none)");
            return;
        }
        out.println(pad("CREATED", 21) + pad("ID", 38) + pad("PROJECT", 18) + pad("VERSION", 14) + pad("ENV", 13)
                + pad("STRATEGY", 12) + pad("STATE", 19) + "STEP");
        for (Views.Summary r : rows) {
            out.println((pad(when(r.createdAt()), 21) + pad(r.id(), 38) + pad(r.project(), 18)
                    + pad(r.version() + (r.dryRun() ? "*" : ""), 14) + pad(r.environment(), 13) + pad(r.strategy(), 12)
                    + pad(r.state(), 19) + (r.currentStep() == null ? "" : r.currentStep())).stripTrailing());
        }
        if (rows.stream().anyMatch(Views.Summary::dryRun)) {
            out.println("(* dry run)");
        }
    }

    private static String when(Instant t) {
        return t == null ? "-" : WHEN.format(t.atZone(ZoneId.systemDefault()));
    }

    private static String pad(String s, int width) {
        String v = s == null ? "-" : s;
        return v.length() >= width - 1 ? v + " " : v + " ".repeat(width - v.length());
    }
}
