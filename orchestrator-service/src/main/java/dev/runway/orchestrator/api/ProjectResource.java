package dev.runway.orchestrator.api;

import java.net.URI;

import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import dev.runway.access.ProjectScope;
import dev.runway.events.Environment;
import dev.runway.orchestrator.deployment.DeploymentService;
import io.quarkus.resteasy.reactive.jackson.CustomDeserialization;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;

/** Projects and their environments (project environments): the board, one project environment, "rollback previous". */
@Path("/projects")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Projects")
public class ProjectResource {

    private final ProjectEnvironments views;
    private final DeploymentService service;
    private final SecurityIdentity identity;
    private final Access access;

    public ProjectResource(ProjectEnvironments views, DeploymentService service, SecurityIdentity identity, Access access) {
        this.views = views;
        this.service = service;
        this.identity = identity;
        this.access = access;
    }

    @GET
    @RolesAllowed({Roles.VIEWER, Roles.DEPLOYER, Roles.APPROVER, Roles.SRE})
    @Operation(summary = "The board: every project the caller may see, grouped by client, with per environment the live "
            + "version (and front) per component, the lock holder and token, the queue and the last outcome")
    public Uni<ProjectViews.Board> board() {
        return views.board(access.scope());
    }

    @GET
    @Path("/{project}/environments/{env}")
    @RolesAllowed({Roles.VIEWER, Roles.DEPLOYER, Roles.APPROVER, Roles.SRE})
    @Operation(summary = "One project environment: live version and front per component, the replaced release kept running "
            + "until its decommission (previous, keptUntil), lock holder and fencing token, queue and the last deployments "
            + "(404 unknown project, 403 a project the token does not cover)")
    public Uni<ProjectViews.ProjectEnvironmentView> get(@PathParam("project") @Size(max = 200) @Pattern(regexp = InputRules.LINE,
            message = InputRules.CONTROL_MESSAGE) String project, @PathParam("env") String name) {
        Environment env = Environments.parse(name);
        return views.one(project, env, access.scope());
    }

    @POST
    @Path("/{project}/environments/{env}/rollback")
    @CustomDeserialization(StrictJson.class)
    @RolesAllowed({Roles.SRE})
    @Operation(summary = "Roll the project environment back to the version live before the current one (sop.md 000-10.1)",
            description = "No approval or window wait (audited). 404 unknown project, 403 a project the token does not cover, "
                    + "409 when no earlier version was deployed there.")
    public Uni<Response> rollback(@PathParam("project") @Size(max = 200) @Pattern(regexp = InputRules.LINE,
            message = InputRules.CONTROL_MESSAGE) String project, @PathParam("env") String name,
            @Valid DeploymentResource.Note note) {
        Environment env = Environments.parse(name);
        ProjectScope scope = access.scope();
        return service.rollbackEnvironment(env, project, identity.getPrincipal().getName(), note == null ? null : note.text(), scope)
                .flatMap(r -> DeploymentResource.view(r.deployment().id, scope))
                .map(view -> Response.accepted(view).location(URI.create("/deployments/" + view.id())).build());
    }
}
