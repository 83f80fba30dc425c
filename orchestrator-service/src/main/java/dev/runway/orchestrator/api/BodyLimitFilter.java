package dev.runway.orchestrator.api;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Response;

import org.jboss.resteasy.reactive.server.ServerRequestFilter;

import dev.runway.orchestrator.OrchestratorConfig;

/**
 * Refuses declared bodies above {@code runway.api.max-body-bytes} with 413 problem+json before
 * they are read. Bodies without a length are still capped by the HTTP layer's hard limit.
 */
public class BodyLimitFilter {

    private final long limit;

    public BodyLimitFilter(OrchestratorConfig config) {
        this.limit = config.api().maxBodyBytes();
    }

    @ServerRequestFilter(preMatching = true)
    public Response limit(ContainerRequestContext request) {
        String length = request.getHeaderString("Content-Length");
        if (length == null) {
            return null;
        }
        try {
            if (Long.parseLong(length.trim()) > limit) {
                return ProblemMappers.respond(Problem.of(413, "Payload Too Large",
                        "request body exceeds " + limit + " bytes"), null);
            }
        } catch (NumberFormatException e) {
            return ProblemMappers.respond(Problem.of(400, "Bad Request", "Content-Length is not a number"), null);
        }
        return null;
    }
}
