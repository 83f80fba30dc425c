package dev.runway.cli.commands;

import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.runway.cli.Context;
import dev.runway.cli.ExitCodes;
import dev.runway.cli.GlobalOptions;
import dev.runway.cli.api.ApiClient;
import dev.runway.cli.api.Json;
import dev.runway.cli.api.Views;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code runway approve <id> [--comment]}: POST /deployments/{id}/approvals as the token's identity. */
@Command(name = "approve", sortOptions = false, usageHelpAutoWidth = true,
        description = { "Approves a deployment that waits for approvals.",
                "Production needs two distinct approvers, never the requester (sop.md 000-6.2)." })
public class ApproveCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "<id>", description = "Deployment id.")
    String id;

    @Option(names = "--comment", paramLabel = "<text>", description = "Recorded with the approval.")
    String comment;

    @Mixin
    GlobalOptions global;

    private final Context ctx;

    public ApproveCommand(Context ctx) {
        this.ctx = ctx;
    }

    @Override
    public Integer call() {
        String checked = Ids.check(id);
        Context.Settings s = ctx.settings(global);
        ObjectNode body = Json.MAPPER.createObjectNode();
        if (comment != null && !comment.isBlank()) {
            body.put("comment", comment.strip());
        }
        ApiClient.Response answer = ctx.api(s).post("deployments/" + checked + "/approvals", body, Map.of());
        if (s.json()) {
            ctx.printJson(answer.json());
            return ExitCodes.OK;
        }
        Views.Deployment d = answer.as(Views.Deployment.class);
        int required = d.approvals() == null ? 0 : d.approvals().required();
        var given = d.approvals() == null ? List.<String>of() : d.approvals().givenList();
        var out = ctx.console().out();
        out.println("Approved deployment " + d.id() + " (" + d.project() + " " + d.version() + " → " + d.environment() + ")");
        out.println(given.size() + " of " + required + " approvals given" + (given.isEmpty() ? "" : ": " + String.join(", ", given)));
        out.println(given.size() >= required ? "All approvals are in; the deployment goes on (now " + d.state() + ")."
                : (required - given.size()) + " more needed from another approver: runway approve " + d.id());
        return ExitCodes.OK;
    }
}
