package dev.runway.healthwatcher.web;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.Sse;

import org.eclipse.microprofile.jwt.JsonWebToken;
import org.eclipse.microprofile.openapi.annotations.Operation;

import dev.runway.access.ProjectScope;
import dev.runway.events.Environment;
import dev.runway.healthwatcher.decision.DecisionFeed;
import dev.runway.healthwatcher.decision.DecisionView;
import dev.runway.healthwatcher.store.DecisionRepository;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;

/**
 * Decision history and the live stream, for SREs and the page. Both need a token with a reading role and
 * show only the project environments its runway_projects claim allows.
 */
@Path("/decisions")
public class DecisionResource {

    static final int MAX_SIZE = 200;

    private final DecisionRepository repository;
    private final DecisionFeed feed;
    private final JsonWebToken token;

    public DecisionResource(DecisionRepository repository, DecisionFeed feed, JsonWebToken token) {
        this.repository = repository;
        this.feed = feed;
        this.token = token;
    }

    /** A page of the history, newest first. */
    public record DecisionPage(List<DecisionView> items, int page, int size, long total) {
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    @RolesAllowed({ Roles.VIEWER, Roles.DEPLOYER, Roles.APPROVER, Roles.SRE })
    @Operation(summary = "Decisions the token's projects allow, newest first; filter by environment, project, client, "
            + "deploymentId; page from 0")
    public Uni<Response> list(@QueryParam("environment") String environment, @QueryParam("project") String project,
            @QueryParam("client") String client, @QueryParam("deploymentId") String deploymentId,
            @QueryParam("page") String page, @QueryParam("size") String size) {
        ProjectScope scope = CallerScope.of(token);
        String env = null;
        if (environment != null && !environment.isBlank()) {
            env = environment.trim().toUpperCase();
            if (Arrays.stream(Environment.values()).noneMatch(e -> e.name().equals(environment.trim().toUpperCase()))) {
                return Uni.createFrom().item(Problems.badRequest("Unknown environment",
                        "environment must be one of " + Arrays.toString(Environment.values()) + ", got '" + environment + "'"));
            }
        }
        Integer p = intParam(page, 0);
        Integer s = intParam(size, 50);
        if (p == null || p < 0 || s == null || s < 1 || s > MAX_SIZE) {
            return Uni.createFrom().item(Problems.badRequest("Bad paging",
                    "page must be an integer >= 0 and size an integer between 1 and " + MAX_SIZE));
        }
        DecisionRepository.Filter filter = new DecisionRepository.Filter(env, blankToNull(project), blankToNull(client),
                blankToNull(deploymentId), scope);
        return repository.page(filter, p * s, s)
                .map(result -> Response.ok(new DecisionPage(result.items(), p, s, result.total())).build());
    }

    @GET
    @Path("/stream")
    @Produces(MediaType.SERVER_SENT_EVENTS)
    @RolesAllowed({ Roles.VIEWER, Roles.DEPLOYER, Roles.APPROVER, Roles.SRE })
    @Operation(summary = "Server-Sent Events: one 'decision' event per decision of the token's projects as it is published")
    public Multi<OutboundSseEvent> stream(@Context Sse sse) {
        // Read once, on the request: the stream outlives the request scope the token belongs to.
        ProjectScope scope = CallerScope.of(token);
        // A first event lets the client know the stream is live; a comment every 15 s keeps proxies from closing it.
        Multi<OutboundSseEvent> hello = Multi.createFrom().item(() -> sse.newEventBuilder().name("hello")
                .data(String.class, "{\"connected\":true}").build());
        Multi<OutboundSseEvent> decisions = feed.stream().filter(view -> scope.allows(view.client(), view.project()))
                .map(view -> sse.newEventBuilder().name("decision").id(view.eventId()).mediaType(MediaType.APPLICATION_JSON_TYPE)
                        .data(DecisionView.class, view).build());
        Multi<OutboundSseEvent> keepAlive = Multi.createFrom().ticks().every(Duration.ofSeconds(15))
                .map(x -> sse.newEventBuilder().comment("keep-alive").build());
        return Multi.createBy().concatenating().streams(hello,
                Multi.createBy().merging().streams(decisions, keepAlive));
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.trim();
    }

    private static Integer intParam(String value, int fallback) {
        if (value == null || value.isBlank()) {
            return fallback;
        }
        try {
            return Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** RFC 9457 problem details. */
    static final class Problems {
        static Response badRequest(String title, String detail) {
            return Response.status(400).type("application/problem+json")
                    .entity(Map.of("type", "about:blank", "title", title, "status", 400, "detail", detail)).build();
        }
    }
}
