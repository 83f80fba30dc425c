package dev.runway.notifier.api;

import java.util.List;
import java.util.Locale;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.jwt.JsonWebToken;
import org.eclipse.microprofile.openapi.annotations.Operation;

import dev.runway.notifier.access.CallerScope;
import dev.runway.notifier.access.Roles;

import dev.runway.notifier.delivery.Delivery;
import dev.runway.notifier.delivery.DeliveryRepository.DeadLetter;
import dev.runway.notifier.delivery.DeliveryRepository.Filter;
import dev.runway.notifier.delivery.DeliveryRepository.Page;
import dev.runway.notifier.delivery.DeliveryRepository;
import dev.runway.notifier.delivery.DeliveryStatus;
import io.smallrye.mutiny.Uni;

/**
 * The delivery log. Endpoints are shown as stored: masked, never a webhook URL or key. Reading needs a token
 * with a reading role, and shows only the project environments its runway_projects claim allows.
 */
@Path("/deliveries")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed({ Roles.VIEWER, Roles.DEPLOYER, Roles.APPROVER, Roles.SRE })
public class DeliveryResource {

    static final int MAX_SIZE = 200;

    private final DeliveryRepository repository;
    private final JsonWebToken token;

    public DeliveryResource(DeliveryRepository repository, JsonWebToken token) {
        this.repository = repository;
        this.token = token;
    }

    /** A delivery as the API shows it (no payload). */
    public record DeliveryView(long id, String eventId, String eventType, String deploymentId, String environment,
            String project, String client, String severity, String channel, String endpoint, String status, int attempts,
            int maxAttempts, String lastError, Long collapsedInto, int repeats, String nextAttemptAt, String createdAt,
            String updatedAt, String deliveredAt) {

        static DeliveryView of(Delivery d) {
            return new DeliveryView(d.id(), d.eventId(), d.eventType(), d.deploymentId(), d.environment(), d.project(),
                    d.client(), d.severity(), d.channel(), d.endpoint(), d.status().name(), d.attempts(), d.maxAttempts(),
                    d.lastError(), d.collapsedInto(), d.repeats(), str(d.nextAttemptAt()), str(d.createdAt()),
                    str(d.updatedAt()), str(d.deliveredAt()));
        }

        private static String str(Object o) {
            return o == null ? null : o.toString();
        }
    }

    @GET
    @Operation(summary = "Delivery log of the token's projects, newest first; filter by deployment, event, type, status, "
            + "channel, environment, project, client")
    public Uni<Page<DeliveryView>> list(@QueryParam("deploymentId") String deploymentId,
            @QueryParam("eventId") String eventId, @QueryParam("eventType") String eventType,
            @QueryParam("status") String status, @QueryParam("channel") String channel,
            @QueryParam("environment") String environment, @QueryParam("project") String project,
            @QueryParam("client") String client,
            @QueryParam("page") String pageParam, @QueryParam("size") String sizeParam) {
        // Read as text: a non-number is a 400 problem naming the parameter, not the framework's bare 404.
        int page = intParam("page", pageParam, 0);
        int size = intParam("size", sizeParam, 50);
        if (page < 0) {
            throw Problem.badRequest("page must be >= 0");
        }
        if (size < 1 || size > MAX_SIZE) {
            throw Problem.badRequest("size must be between 1 and " + MAX_SIZE);
        }
        Filter filter = new Filter(deploymentId, eventId, eventType, parseStatus(status), upper(channel, "channel",
                List.of("SLACK", "EMAIL", "WEBHOOK")), upper(environment, "environment",
                        List.of("DEVELOPMENT", "STAGING", "UAT", "PRODUCTION")), project, client, CallerScope.of(token));
        return repository.search(filter, page, size)
                .map(p -> new Page<>(p.items().stream().map(DeliveryView::of).toList(), p.page(), p.size(), p.total()));
    }

    @GET
    @Path("/dead-letters")
    @Operation(summary = "Deliveries of the token's projects that gave up (the dead-letter table), newest first")
    public Uni<List<DeadLetter>> deadLetters(@QueryParam("deploymentId") String deploymentId,
            @QueryParam("limit") String limitParam) {
        int limit = intParam("limit", limitParam, 50);
        if (limit < 1 || limit > MAX_SIZE) {
            throw Problem.badRequest("limit must be between 1 and " + MAX_SIZE);
        }
        return repository.deadLetters(deploymentId == null || deploymentId.isBlank() ? null : deploymentId.trim(),
                CallerScope.of(token), limit);
    }

    private static int intParam(String name, String value, int fallback) {
        if (value == null || value.isBlank()) {
            return fallback;
        }
        try {
            return Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw Problem.badRequest(name + " must be an integer, got '" + value + "'");
        }
    }

    private static DeliveryStatus parseStatus(String status) {
        if (status == null || status.isBlank()) {
            return null;
        }
        try {
            return DeliveryStatus.valueOf(status.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw Problem.badRequest("unknown status '" + status + "'; one of " + List.of(DeliveryStatus.values()));
        }
    }

    private static String upper(String value, String name, List<String> allowed) {
        if (value == null || value.isBlank()) {
            return null;
        }
        String v = value.trim().toUpperCase(Locale.ROOT);
        if (!allowed.contains(v)) {
            throw Problem.badRequest("unknown " + name + " '" + value + "'; one of " + allowed);
        }
        return v;
    }
}
