package dev.runway.orchestrator.api;

import java.net.URI;
import java.time.Instant;
import java.util.List;

import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import com.fasterxml.jackson.annotation.JsonInclude;

import dev.runway.events.Environment;
import dev.runway.orchestrator.deployment.Deployment;
import dev.runway.orchestrator.deployment.DeploymentService;
import dev.runway.orchestrator.deployment.EnvironmentRelease;
import dev.runway.orchestrator.lock.EnvironmentLock;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;

/** Environments: what runs there, who holds the lock, who waits, and "rollback previous". */
@Path("/environments")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Environments")
@SecurityRequirement(name = "jwt")
public class EnvironmentResource {

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record EnvironmentView(String environment, List<Live> live, Lock lock, List<DeploymentView.Summary> queue,
            List<DeploymentView.Summary> recent) {
    }

    public record Live(String component, String version, String deploymentId, Instant releasedAt) {
    }

    public record Lock(String deploymentId, long fencingToken) {
    }

    private final EnvironmentLock lock;
    private final DeploymentService service;
    private final SecurityIdentity identity;

    public EnvironmentResource(EnvironmentLock lock, DeploymentService service, SecurityIdentity identity) {
        this.lock = lock;
        this.service = service;
        this.identity = identity;
    }

    @GET
    @Path("/{env}")
    @RolesAllowed({Roles.VIEWER, Roles.DEPLOYER, Roles.APPROVER, Roles.SRE})
    @Operation(summary = "Live version per component, lock holder, queue and the last deployments")
    public Uni<EnvironmentView> get(@PathParam("env") String name) {
        Environment env = Environments.parse(name);
        return lock.holder(env).flatMap(holder -> lock.queue(env).flatMap(queued -> Panache.withSession(
                () -> EnvironmentRelease.<EnvironmentRelease>find("environment = ?1 order by component", env.name()).list()
                        .flatMap(live -> Deployment.<Deployment>find("environment = ?1 order by createdAt desc", env.name())
                                .page(0, 10).list()
                                .flatMap(recent -> queuedSummaries(queued).map(queue -> new EnvironmentView(
                                        DeploymentResource.lower(env.name()),
                                        live.stream().map(r -> new Live(r.component, r.version, r.deploymentId.toString(),
                                                r.releasedAt)).toList(),
                                        holder.map(h -> new Lock(h.deploymentId(), h.token())).orElse(null), queue,
                                        recent.stream().map(DeploymentResource::summary).toList())))))));
    }

    private static Uni<List<DeploymentView.Summary>> queuedSummaries(List<String> ids) {
        List<java.util.UUID> uuids = ids.stream().map(java.util.UUID::fromString).toList();
        if (uuids.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        return Deployment.<Deployment>find("id in ?1 order by createdAt", uuids).list()
                .map(rows -> rows.stream().map(DeploymentResource::summary).toList());
    }

    @POST
    @Path("/{env}/rollback")
    @RolesAllowed({Roles.SRE})
    @Operation(summary = "Roll a project in the environment back to the version live before the current one (seed 000 §10.1)")
    public Uni<Response> rollback(@PathParam("env") String name, @QueryParam("project") String project,
            @Valid DeploymentResource.Note note) {
        Environment env = Environments.parse(name);
        if (project == null || project.isBlank()) {
            throw ProblemException.badRequest("project", "name the project to roll back (?project=)");
        }
        return service.rollbackEnvironment(env, project, identity.getPrincipal().getName(), note == null ? null : note.text())
                .flatMap(r -> DeploymentResource.view(r.deployment().id))
                .map(view -> Response.accepted(view).location(URI.create("/deployments/" + view.id())).build());
    }
}
