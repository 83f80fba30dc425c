package dev.runway.orchestrator.api;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
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
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;

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

    /**
     * "create.request.version" → "version", "create.request.components[1].<list element>" → "components[1]",
     * "list.size" → "size": users know the body's fields and the query's parameters, not Java's methods.
     */
    private static String field(String path) {
        List<String> parts = new ArrayList<>(Arrays.asList(path.split("\\.")));
        parts.removeIf(p -> p.startsWith("<"));
        if (parts.size() > 1) {
            parts.remove(0); // the resource method
        }
        if (parts.size() > 1) {
            parts.remove(0); // the body parameter, whose fields follow
        }
        return String.join(".", parts);
    }

    /**
     * A body Jackson cannot read. The messages are Runway's own where Jackson's would echo the value (which
     * may be a secret, or 200 KB long) or name Java types.
     */
    @ServerExceptionMapper
    public Response json(JsonProcessingException e, UriInfo uri) {
        String field = "body";
        if (e instanceof JsonMappingException mapping) {
            // A path that starts with an index is the body itself (a list where an object belongs).
            if (!mapping.getPath().isEmpty() && mapping.getPath().get(0).getFieldName() != null) {
                field = String.join(".", mapping.getPath().stream()
                        .map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]").toList())
                        .replace(".[", "[");
            }
        } else if (e.getProcessor() instanceof JsonParser parser) {
            String at = path(parser.getParsingContext());
            field = at.isEmpty() ? field : at;
        }
        String original = e.getOriginalMessage() == null ? "" : e.getOriginalMessage();
        String message;
        if (e instanceof UnrecognizedPropertyException unknown) {
            message = "unknown field; the known ones are " + String.join(", ", unknown.getKnownPropertyIds().stream()
                    .map(String::valueOf).sorted().toList());
        } else if (original.startsWith("Trailing token")) {
            message = "content after the JSON body";
        } else if (original.startsWith("No content to map")) {
            message = "a JSON body is required";
        } else if (e instanceof MismatchedInputException mismatched && mismatched.getTargetType() != null) {
            message = "must be " + expected(mismatched.getTargetType());
        } else {
            message = original.isEmpty() ? "malformed JSON" : original.split("\n")[0];
            // "Unrecognized token 'abc'": the token may be anything the caller typed, a secret included.
            message = message.replaceAll("token '[^']*'", "token");
        }
        if (message.length() > 300) {
            message = message.substring(0, 300) + "…";
        }
        return respond(Problem.of(400, "Malformed request body", message)
                .withErrors(List.of(new Problem.FieldError(field, message))), uri);
    }

    /** Where the parser stopped, as the body's field path ("repository.url", "components[2]"), at most 8 levels. */
    private static String path(JsonStreamContext context) {
        List<String> segments = new ArrayList<>();
        for (JsonStreamContext c = context; c != null && !c.inRoot(); c = c.getParent()) {
            if (c.inArray()) {
                segments.add(0, "[" + Math.max(c.getCurrentIndex(), 0) + "]");
            } else if (c.getCurrentName() != null) {
                segments.add(0, "." + c.getCurrentName());
            }
        }
        String path = String.join("", segments.subList(0, Math.min(segments.size(), 8)));
        return path.startsWith(".") ? path.substring(1) : path;
    }

    private static String expected(Class<?> type) {
        if (type == Boolean.class || type == boolean.class) {
            return "true or false";
        }
        if (type == String.class) {
            return "a string";
        }
        if (Number.class.isAssignableFrom(type) || type.isPrimitive()) {
            return "a number";
        }
        if (Collection.class.isAssignableFrom(type) || type.isArray()) {
            return "a list";
        }
        return "an object";
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
    public Response unrecognized(UnrecognizedPropertyException e, UriInfo uri) {
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
        // Quarkus REST wraps a body Jackson cannot parse (syntax, duplicate keys, nesting) in a plain 400.
        if (e.getCause() instanceof JsonProcessingException json) {
            return json(json, uri);
        }
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
