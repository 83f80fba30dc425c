package dev.runway.orchestrator.api;

import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

import jakarta.validation.ConstraintViolationException;
import jakarta.ws.rs.NotAllowedException;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.NotSupportedException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;

import dev.runway.orchestrator.manifest.ManifestException;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;

/** Every error the API returns is application/problem+json naming what was wrong; no stack traces. */
public class ProblemMappers {

    private static final Logger LOG = Logger.getLogger(ProblemMappers.class);

    static Response respond(Problem problem, UriInfo uri) {
        return Response.status(problem.status()).type(Problem.MEDIA_TYPE)
                .entity(uri == null ? problem : problem.at(uri.getPath())).build();
    }

    @ServerExceptionMapper
    public Response problem(ProblemException e, UriInfo uri) {
        return respond(e.problem(), uri);
    }

    @ServerExceptionMapper
    public Response manifest(ManifestException e, UriInfo uri) {
        return respond(Problem.of(400, "Invalid manifest", e.getMessage()).withErrors(e.problems().stream()
                .map(p -> new Problem.FieldError(p.field(), p.message())).toList()), uri);
    }

    @ServerExceptionMapper
    public Response constraint(ConstraintViolationException e, UriInfo uri) {
        List<Problem.FieldError> errors = e.getConstraintViolations().stream()
                .map(v -> new Problem.FieldError(field(v.getPropertyPath().toString()), v.getMessage()))
                .sorted(Comparator.comparing(Problem.FieldError::field)).toList();
        return respond(Problem.of(400, "Bad Request", errors.size() + " invalid field(s): "
                + String.join(", ", errors.stream().map(Problem.FieldError::field).toList())).withErrors(errors), uri);
    }

    /** "request.body.version" → "version": users know the body's fields, not Java's parameters. */
    private static String field(String path) {
        String[] parts = path.split("\\.");
        int start = 0;
        for (int i = 0; i < parts.length; i++) {
            if (parts[i].equals("body") || parts[i].equals("request")) {
                start = i + 1;
            }
        }
        return String.join(".", Arrays.copyOfRange(parts, Math.min(start, parts.length - 1), parts.length));
    }

    @ServerExceptionMapper
    public Response json(JsonProcessingException e, UriInfo uri) {
        String field = "body";
        if (e instanceof JsonMappingException mapping && !mapping.getPath().isEmpty()) {
            field = String.join(".", mapping.getPath().stream()
                    .map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]").toList());
        }
        String message = e.getOriginalMessage() == null ? "malformed JSON" : e.getOriginalMessage().split("\n")[0];
        if (message.length() > 300) {
            message = message.substring(0, 300) + "…";
        }
        return respond(Problem.of(400, "Malformed request body", message)
                .withErrors(List.of(new Problem.FieldError(field, message))), uri);
    }

    // Quarkus REST ships mappers for these subtypes; more specific mappers of ours keep them problem+json.
    @ServerExceptionMapper
    public Response jsonParse(JsonParseException e, UriInfo uri) {
        return json(e, uri);
    }

    @ServerExceptionMapper
    public Response mismatchedInput(MismatchedInputException e, UriInfo uri) {
        return json(e, uri);
    }

    @ServerExceptionMapper
    public Response invalidFormat(InvalidFormatException e, UriInfo uri) {
        return json(e, uri);
    }

    @ServerExceptionMapper
    public Response unauthorized(UnauthorizedException e, UriInfo uri) {
        return Response.fromResponse(respond(Problem.of(401, "Unauthorized", "a valid bearer token is required"), uri))
                .header("WWW-Authenticate", "Bearer").build();
    }

    @ServerExceptionMapper
    public Response authenticationFailed(AuthenticationFailedException e, UriInfo uri) {
        return unauthorized(new UnauthorizedException(), uri);
    }

    @ServerExceptionMapper
    public Response forbidden(ForbiddenException e, UriInfo uri) {
        return respond(Problem.of(403, "Forbidden", "your roles do not allow this"), uri);
    }

    @ServerExceptionMapper
    public Response notFound(NotFoundException e, UriInfo uri) {
        return respond(Problem.of(404, "Not Found", "no such resource"), uri);
    }

    @ServerExceptionMapper
    public Response notAllowed(NotAllowedException e, UriInfo uri) {
        return respond(Problem.of(405, "Method Not Allowed", "this method is not supported here"), uri);
    }

    @ServerExceptionMapper
    public Response unsupported(NotSupportedException e, UriInfo uri) {
        return respond(Problem.of(415, "Unsupported Media Type", "send application/json"), uri);
    }

    @ServerExceptionMapper
    public Response web(WebApplicationException e, UriInfo uri) {
        int status = e.getResponse().getStatus();
        return respond(Problem.of(status, e.getResponse().getStatusInfo().getReasonPhrase(),
                status >= 500 ? "the request could not be completed" : e.getMessage()), uri);
    }

    @ServerExceptionMapper
    public Response unexpected(Exception e, UriInfo uri) {
        // Logged with its trace for operators; the caller gets no internals (they may carry secrets).
        LOG.error("unexpected error", e);
        return respond(Problem.of(500, "Internal Server Error", "an unexpected error occurred; it has been logged"), uri);
    }
}
