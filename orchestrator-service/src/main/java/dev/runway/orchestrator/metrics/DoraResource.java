package dev.runway.orchestrator.metrics;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import dev.runway.access.ProjectScope;
import dev.runway.events.Environment;
import dev.runway.orchestrator.api.Access;
import dev.runway.orchestrator.api.Environments;
import dev.runway.orchestrator.api.InputRules;
import dev.runway.orchestrator.api.ProblemException;
import dev.runway.orchestrator.deployment.Deployment;
import dev.runway.orchestrator.project.ProjectRegistry;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.panache.common.Parameters;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;

/**
 * DORA per environment at {@code GET /metrics/dora} (only projects the caller may see; optionally one client or
 * project), and agency-wide as Prometheus gauges refreshed every minute.
 */
@Path("/metrics/dora")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Metrics")
public class DoraResource {

    private final Map<String, Dora.Figures> latest = new ConcurrentHashMap<>();
    private final Access access;
    private final ProjectRegistry projects;

    public DoraResource(MeterRegistry registry, Access access, ProjectRegistry projects) {
        this.access = access;
        this.projects = projects;
        for (Environment env : Environment.values()) {
            String e = env.name().toLowerCase(Locale.ROOT);
            Gauge.builder("runway_dora_deployments_per_day", latest, m -> value(m.get(e), Dora.Figures::deploymentsPerDay))
                    .tag("environment", e).register(registry);
            Gauge.builder("runway_dora_lead_time_seconds", latest, m -> value(m.get(e), Dora.Figures::leadTimeMedianSeconds))
                    .tag("environment", e).register(registry);
            Gauge.builder("runway_dora_change_failure_rate_percent", latest,
                    m -> value(m.get(e), Dora.Figures::changeFailureRatePercent)).tag("environment", e).register(registry);
            Gauge.builder("runway_dora_mttr_seconds", latest, m -> value(m.get(e), Dora.Figures::mttrSeconds))
                    .tag("environment", e).register(registry);
        }
    }

    private static double value(Dora.Figures f, Function<Dora.Figures, Double> get) {
        Double v = f == null ? null : get.apply(f);
        return v == null ? Double.NaN : v;
    }

    @GET
    @RolesAllowed({"viewer", "deployer", "approver", "sre"})
    @Operation(summary = "Deployment frequency, lead time, change failure rate and MTTR per environment (sop.md 004)",
            description = "Counts only projects the token's runway_projects claim covers; optionally one client or one project "
                    + "(404 unknown project, 403 a project or client the token does not cover).")
    public Uni<List<Dora.Figures>> get(@QueryParam("environment") String environment,
            @QueryParam("client") @Size(max = 200) @Pattern(regexp = InputRules.LINE, message = InputRules.CONTROL_MESSAGE) String client,
            @QueryParam("project") @Size(max = 200) @Pattern(regexp = InputRules.LINE, message = InputRules.CONTROL_MESSAGE) String project,
            @QueryParam("days") @DefaultValue("30") @Min(1) @Max(365) int days) {
        List<Environment> envs = environment == null ? List.of(Environment.values())
                : List.of(Environments.parse(environment));
        ProjectScope scope = access.scope();
        if (client != null && !Access.mentionsClient(scope, client)) {
            throw new ProblemException(403, "Forbidden", "your token's " + ProjectScope.CLAIM
                    + " claim covers no project of client '" + client + "'", "client");
        }
        Uni<Void> allowed = project == null ? Uni.createFrom().voidItem()
                : Panache.withSession(() -> projects.require(project)).invoke(p -> Access.require(scope, p.client, p.name))
                        .replaceWithVoid();
        return allowed.flatMap(x -> Multi.createFrom().iterable(envs).onItem()
                .transformToUniAndConcatenate(env -> compute(env, days, scope, client, project)).collect().asList());
    }

    @Scheduled(every = "${runway.dora.every:60s}", delayed = "5s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> refresh() {
        // The gauges are the operators' agency-wide view.
        return Multi.createFrom().items(Environment.values()).onItem()
                .transformToUniAndConcatenate(env -> compute(env, 30, ProjectScope.agencyWide(), null, null))
                .invoke(f -> latest.put(f.environment(), f)).collect().last().replaceWithVoid();
    }

    private Uni<Dora.Figures> compute(Environment env, int days, ProjectScope scope, String client, String project) {
        Parameters params = Parameters.with("env", env.name()).and("since", Instant.now().minus(Duration.ofDays(days)));
        StringBuilder query = new StringBuilder("environment = :env and dryRun = false and finishedAt >= :since and ")
                .append(Access.where(scope, "client", "project", params));
        if (client != null) {
            query.append(" and lower(client) = :client");
            params.and("client", client.toLowerCase(Locale.ROOT));
        }
        if (project != null) {
            query.append(" and project = :project");
            params.and("project", project);
        }
        return Panache.withSession(() -> Deployment.<Deployment>find(query.toString(), params).list())
                .map(rows -> Dora.compute(env.name().toLowerCase(Locale.ROOT), days, rows.stream()
                        .map(d -> new Dora.Row(d.project, d.state, d.createdAt, d.startedAt, d.finishedAt)).toList()));
    }
}
