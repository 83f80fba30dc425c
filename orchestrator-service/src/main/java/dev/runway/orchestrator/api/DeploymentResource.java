package dev.runway.orchestrator.api;

import java.net.URI;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import dev.runway.access.ProjectScope;
import dev.runway.orchestrator.audit.AuditEntry;
import dev.runway.orchestrator.deployment.Approval;
import dev.runway.orchestrator.deployment.Deployment;
import dev.runway.orchestrator.deployment.DeploymentService;
import dev.runway.orchestrator.deployment.DeploymentStep;
import dev.runway.orchestrator.saga.DeploymentState;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.panache.common.Page;
import io.quarkus.panache.common.Parameters;
import io.quarkus.panache.common.Sort;
import io.quarkus.resteasy.reactive.jackson.CustomDeserialization;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;

/** Deployments: request one, follow it, approve it, cancel or roll it back. */
@Path("/deployments")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Deployments")
public class DeploymentResource {

    /** Optional body of the action endpoints. */
    public record Note(@Size(max = 1000) @Pattern(regexp = InputRules.TEXT, message = InputRules.CONTROL_MESSAGE) String comment,
            @Size(max = 1000) @Pattern(regexp = InputRules.TEXT, message = InputRules.CONTROL_MESSAGE) String reason) {
        String text() {
            return comment != null ? comment : reason;
        }
    }

    private final DeploymentService service;
    private final SecurityIdentity identity;
    private final Access access;

    public DeploymentResource(DeploymentService service, SecurityIdentity identity, Access access) {
        this.service = service;
        this.identity = identity;
        this.access = access;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @CustomDeserialization(StrictJson.class)
    @RolesAllowed({Roles.DEPLOYER, Roles.SRE})
    @Operation(summary = "Start a deployment", description = "202 with the deployment's URL. The same Idempotency-Key "
            + "and body return the same deployment; the same key with another body is 409. 403 when the token's "
            + "runway_projects claim does not cover the project of its client (the manifest's project.client, else the "
            + "project's registered client); 409 when the project's safe name is another project's, or the project "
            + "belongs to another client. 400 for a repository URL with credentials in it (use a credential reference), "
            + "an unknown field, a duplicate key, and anything the manifest reader or its schema refuses.")
    public Uni<Response> create(@NotNull(message = "a JSON body is required") @Valid DeploymentRequest request,
            @HeaderParam("Idempotency-Key") @Size(max = 200) @Pattern(regexp = InputRules.LINE,
                    message = InputRules.CONTROL_MESSAGE) String idempotencyKey, UriInfo uri) {
        ProjectScope scope = access.scope();
        return service.request(request, blankToNull(idempotencyKey), who(), scope)
                .flatMap(r -> view(r.deployment().id, scope).map(view -> Response.accepted(view)
                        .location(URI.create("/deployments/" + r.deployment().id))
                        .header("Idempotent-Replayed", Boolean.toString(!r.created())).build()));
    }

    @GET
    @Path("/{id}")
    @RolesAllowed({Roles.VIEWER, Roles.DEPLOYER, Roles.APPROVER, Roles.SRE})
    @Operation(summary = "A deployment: state, every step with its times, approvals, and the events that moved it")
    public Uni<DeploymentView> get(@PathParam("id") String id) {
        return view(parse(id), access.scope());
    }

    @GET
    @RolesAllowed({Roles.VIEWER, Roles.DEPLOYER, Roles.APPROVER, Roles.SRE})
    @WithSession
    @Operation(summary = "Deployments the caller may see, newest first, filtered and paged",
            description = "Only deployments of projects the token's runway_projects claim covers (filtered in the query, "
                    + "before paging).")
    public Uni<DeploymentView.Page> list(@QueryParam("environment") String environment,
            @QueryParam("project") @Size(max = 200) @Pattern(regexp = InputRules.LINE, message = InputRules.CONTROL_MESSAGE) String project,
            @QueryParam("client") @Size(max = 200) @Pattern(regexp = InputRules.LINE, message = InputRules.CONTROL_MESSAGE) String client,
            @QueryParam("state") String state,
            @QueryParam("page") @DefaultValue("0") @Min(0) int page,
            @QueryParam("size") @DefaultValue("20") @Min(1) @Max(200) int size) {
        Parameters params = new Parameters();
        StringBuilder query = new StringBuilder(Access.where(access.scope(), "client", "project", params));
        if (environment != null) {
            query.append(" and environment = :environment");
            params.and("environment", Environments.parse(environment).name());
        }
        if (project != null) {
            query.append(" and project = :project");
            params.and("project", project);
        }
        if (client != null) {
            query.append(" and lower(client) = :client");
            params.and("client", client.toLowerCase(Locale.ROOT));
        }
        if (state != null) {
            DeploymentState wanted = Arrays.stream(DeploymentState.values())
                    .filter(s -> s.name().equals(state.toUpperCase(Locale.ROOT))).findFirst().orElse(null);
            // A state that does not exist matches no deployment (a filter, not a validation error).
            query.append(wanted == null ? " and id is null" : " and state = :state");
            if (wanted != null) {
                params.and("state", wanted);
            }
        }
        var found = Deployment.<Deployment>find(query.toString(), Sort.descending("createdAt"), params);
        return found.page(Page.of(page, size)).list()
                .flatMap(rows -> found.count().map(total -> new DeploymentView.Page(
                        rows.stream().map(DeploymentResource::summary).toList(), page, size, total)));
    }

    @POST
    @Path("/{id}/approvals")
    @CustomDeserialization(StrictJson.class)
    @RolesAllowed({Roles.APPROVER})
    @Operation(summary = "Approve (production needs two distinct approvers, neither the requester)")
    public Uni<DeploymentView> approve(@PathParam("id") String id, @Valid Note note) {
        ProjectScope scope = access.scope();
        return service.approve(parse(id), who(), note == null ? null : note.text(), scope).flatMap(d -> view(d.id, scope));
    }

    @POST
    @Path("/{id}/window-override")
    @CustomDeserialization(StrictJson.class)
    @RolesAllowed({Roles.SRE})
    @Operation(summary = "Start now although outside the deployment window (audited with the reason)")
    public Uni<DeploymentView> overrideWindow(@PathParam("id") String id, @Valid Note note) {
        if (note == null || note.text() == null || note.text().isBlank()) {
            throw ProblemException.badRequest("reason", "a window override needs a reason");
        }
        ProjectScope scope = access.scope();
        return service.overrideWindow(parse(id), who(), note.text(), scope).flatMap(d -> view(d.id, scope));
    }

    @POST
    @Path("/{id}/cancel")
    @CustomDeserialization(StrictJson.class)
    @RolesAllowed({Roles.DEPLOYER, Roles.SRE})
    @Operation(summary = "Cancel before traffic moves; what was deployed is undone")
    public Uni<DeploymentView> cancel(@PathParam("id") String id, @Valid Note note) {
        ProjectScope scope = access.scope();
        return service.cancel(parse(id), who(), note == null ? null : note.text(), scope).flatMap(d -> view(d.id, scope));
    }

    @POST
    @Path("/{id}/rollback")
    @CustomDeserialization(StrictJson.class)
    @RolesAllowed({Roles.SRE})
    @Operation(summary = "Manual rollback: compensate every completed step in reverse order")
    public Uni<DeploymentView> rollback(@PathParam("id") String id, @Valid Note note) {
        ProjectScope scope = access.scope();
        return service.rollback(parse(id), who(), note == null ? null : note.text(), scope).flatMap(d -> view(d.id, scope));
    }

    private String who() {
        return identity.getPrincipal().getName();
    }

    static UUID parse(String id) {
        try {
            return UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            throw ProblemException.badRequest("id", "'" + (id.length() > 40 ? id.substring(0, 40) + "…" : id) + "' is not a deployment id (UUID)");
        }
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }

    static Uni<DeploymentView> view(UUID id, ProjectScope scope) {
        return Panache.withSession(() -> Deployment.<Deployment>findById(id).flatMap(d -> {
            if (d == null) {
                return Uni.createFrom().failure(ProblemException.notFound("deployment " + id));
            }
            Access.require(scope, d.client, d.project);
            return DeploymentStep.<DeploymentStep>find("deploymentId = ?1 order by id", id).list()
                    .flatMap(steps -> Approval.<Approval>find("deploymentId = ?1 order by approvedAt", id).list()
                            .flatMap(approvals -> AuditEntry.<AuditEntry>find("deploymentId = ?1 order by id", id).list()
                                    .map(audit -> toView(d, steps, approvals, audit))));
        }));
    }

    private static DeploymentView toView(Deployment d, List<DeploymentStep> steps, List<Approval> approvals,
            List<AuditEntry> audit) {
        return new DeploymentView(d.id, d.client, d.project, d.version, lower(d.environment), lower(d.strategy).replace('_', '-'),
                lower(d.target), d.dryRun, d.state, d.currentStep, d.reason, d.requestedBy, d.fencingToken, d.createdAt,
                d.startedAt, d.finishedAt,
                new DeploymentView.Approvals(d.requiredApprovals, approvals.stream().map(a -> a.approver).toList()),
                steps.stream().map(s -> new DeploymentView.Step(s.name, s.kind, s.status, s.startedAt, s.finishedAt,
                        s.finishedAt == null ? null : Duration.between(s.startedAt, s.finishedAt).toMillis(), s.detail)).toList(),
                audit.stream().map(a -> new DeploymentView.Event(a.at, a.actor, a.action, a.detail, a.eventId)).toList());
    }

    static DeploymentView.Summary summary(Deployment d) {
        return new DeploymentView.Summary(d.id, d.client, d.project, d.version, lower(d.environment), lower(d.strategy).replace('_', '-'),
                d.state, d.currentStep, d.dryRun, d.createdAt, d.finishedAt);
    }

    static String lower(String s) {
        return s == null ? null : s.toLowerCase(Locale.ROOT);
    }
}
