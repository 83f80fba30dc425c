package dev.runway.orchestrator.api;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import dev.runway.events.Environment;
import io.smallrye.mutiny.Uni;

/**
 * An environment across projects: one entry per project the caller may see, each with its own live
 * versions, lock and queue. No route here answers for "the" project: acting on one is under /projects.
 */
@Path("/environments")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Environments")
public class EnvironmentResource {

    private final ProjectEnvironments views;
    private final Access access;

    public EnvironmentResource(ProjectEnvironments views, Access access) {
        this.views = views;
        this.access = access;
    }

    @GET
    @Path("/{env}")
    @RolesAllowed({Roles.VIEWER, Roles.DEPLOYER, Roles.APPROVER, Roles.SRE})
    @Operation(summary = "Every project the caller may see in the environment: live version per component (with its front), "
            + "lock holder and fencing token, queue and the last deployments, per project")
    public Uni<ProjectViews.EnvironmentView> get(@PathParam("env") String name) {
        Environment env = Environments.parse(name);
        return views.environment(env, access.scope());
    }

    @POST
    @Path("/{env}/rollback")
    @RolesAllowed({Roles.VIEWER, Roles.DEPLOYER, Roles.APPROVER, Roles.SRE})
    @Operation(summary = "Gone: roll back one project environment with POST /projects/{project}/environments/{env}/rollback")
    public Uni<Response> rollback(@PathParam("env") String name) {
        Environment env = Environments.parse(name);
        throw new ProblemException(410, "Gone", "an environment is shared by many projects; roll one back with POST /projects/{project}/environments/"
                + ProjectEnvironments.lower(env.name()) + "/rollback");
    }
}
