package dev.runway.executor.api;

import java.util.Map;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import dev.runway.executor.store.CommandLog;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;

/** Read-only view of the command log: what a command planned (dry run or not) and how it ended. */
@Path("/commands")
@Produces(MediaType.APPLICATION_JSON)
public class CommandResource {

    private final CommandLog log;

    public CommandResource(CommandLog log) {
        this.log = log;
    }

    @GET
    @Path("/{commandId}")
    public Uni<Response> get(@PathParam("commandId") String commandId) {
        return Uni.createFrom().item(() -> log.find(commandId)).runSubscriptionOn(Infrastructure.getDefaultWorkerPool())
                .map(found -> found.map(e -> Response.ok(Map.of(
                        "commandId", e.commandId(),
                        "deploymentId", e.deploymentId(),
                        "type", e.type(),
                        "step", e.step(),
                        "status", e.status().name(),
                        "plan", e.plan().lines().filter(l -> !l.isBlank()).toList(),
                        "reply", e.reply() == null ? "" : e.reply().getSchema().getName())).build())
                        .orElseGet(() -> Response.status(404).type("application/problem+json").entity(Map.of(
                                "type", "about:blank", "title", "Unknown command", "status", 404,
                                "detail", "no command " + commandId + " in the executor's log")).build()));
    }
}
