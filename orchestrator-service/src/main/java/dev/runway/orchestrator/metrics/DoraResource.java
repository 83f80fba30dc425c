package dev.runway.orchestrator.metrics;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import dev.runway.events.Environment;
import dev.runway.orchestrator.deployment.Deployment;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;

/** DORA per environment at {@code GET /metrics/dora}, and as Prometheus gauges refreshed every minute. */
@Path("/metrics/dora")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Metrics")
@SecurityRequirement(name = "jwt")
public class DoraResource {

    private final Map<String, Dora.Figures> latest = new ConcurrentHashMap<>();

    public DoraResource(MeterRegistry registry) {
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

    private static double value(Dora.Figures f, java.util.function.Function<Dora.Figures, Double> get) {
        Double v = f == null ? null : get.apply(f);
        return v == null ? Double.NaN : v;
    }

    @GET
    @RolesAllowed({"viewer", "deployer", "approver", "sre"})
    @Operation(summary = "Deployment frequency, lead time, change failure rate and MTTR per environment (seed 004)")
    public Uni<List<Dora.Figures>> get(@QueryParam("environment") String environment,
            @QueryParam("days") @DefaultValue("30") @Min(1) @Max(365) int days) {
        List<Environment> envs = environment == null ? List.of(Environment.values())
                : List.of(dev.runway.orchestrator.api.Environments.parse(environment));
        return Multi.createFrom().iterable(envs).onItem().transformToUniAndConcatenate(env -> compute(env, days))
                .collect().asList();
    }

    @Scheduled(every = "${runway.dora.every:60s}", delayed = "5s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> refresh() {
        return Multi.createFrom().items(Environment.values()).onItem().transformToUniAndConcatenate(env -> compute(env, 30))
                .invoke(f -> latest.put(f.environment(), f)).collect().last().replaceWithVoid();
    }

    private Uni<Dora.Figures> compute(Environment env, int days) {
        Instant since = Instant.now().minus(Duration.ofDays(days));
        return Panache.withSession(() -> Deployment.<Deployment>find(
                        "environment = ?1 and dryRun = false and finishedAt >= ?2", env.name(), since).list())
                .map(rows -> Dora.compute(env.name().toLowerCase(Locale.ROOT), days, rows.stream()
                        .map(d -> new Dora.Row(d.state, d.createdAt, d.startedAt, d.finishedAt)).toList()));
    }
}
