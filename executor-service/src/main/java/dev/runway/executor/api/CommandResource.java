package dev.runway.executor.api;

import java.util.Map;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.apache.avro.specific.SpecificRecord;
import org.eclipse.microprofile.jwt.JsonWebToken;

import dev.runway.access.ProjectScope;
import dev.runway.events.Envelopes;
import dev.runway.events.EventHeader;
import dev.runway.executor.store.CommandLog;
import io.quarkus.security.ForbiddenException;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;

/**
 * Read-only view of the command log: what a command planned (dry run or not) and how it ended. Readers see only
 * commands of the projects their token's runway_projects covers; any other command answers 404 as if it did not
 * exist, so a reader cannot learn which ids belong to other clients.
 */
@Path("/commands")
@Produces(MediaType.APPLICATION_JSON)
public class CommandResource {

    private final CommandLog log;
    private final JsonWebToken token;

    public CommandResource(CommandLog log, JsonWebToken token) {
        this.log = log;
        this.token = token;
    }

    @GET
    @Path("/{commandId}")
    @RolesAllowed({ Roles.VIEWER, Roles.DEPLOYER, Roles.APPROVER, Roles.SRE })
    public Uni<Response> get(@PathParam("commandId") String commandId) {
        ProjectScope scope = scope();
        return Uni.createFrom().item(() -> log.find(commandId)).runSubscriptionOn(Infrastructure.getDefaultWorkerPool())
                .map(found -> found.filter(e -> visible(scope, e.command())).map(e -> Response.ok(Map.of(
                        "commandId", e.commandId(),
                        "deploymentId", e.deploymentId(),
                        "type", e.type(),
                        "step", e.step(),
                        "status", e.status().name(),
                        "plan", e.plan().lines().filter(l -> !l.isBlank()).toList(),
                        "reply", e.reply() == null ? "" : e.reply().getSchema().getName())).build())
                        .orElseGet(() -> Problems.of(404, "Unknown command", "no command " + commandId + " in the executor's log")));
    }

    /** A command whose header cannot be read names no project: only an agency-wide token sees it. */
    private static boolean visible(ProjectScope scope, SpecificRecord command) {
        if (scope.isAgencyWide()) {
            return true;
        }
        if (command == null) {
            return false;
        }
        try {
            EventHeader header = Envelopes.headerOf(command);
            return scope.allows(header.getClient(), header.getProject());
        } catch (IllegalArgumentException noHeader) {
            return false;
        }
    }

    private ProjectScope scope() {
        try {
            return ProjectScope.ofClaim(token.getClaim(ProjectScope.CLAIM));
        } catch (IllegalArgumentException e) {
            // A malformed claim is the issuer's mistake; refuse rather than guess what it meant.
            throw new ForbiddenException(e.getMessage());
        }
    }
}
