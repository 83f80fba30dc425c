package dev.runway.notifier.api;

import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;

/** An RFC 9457 {@code application/problem+json} answer for bad requests. */
public final class Problem {

    public static final String MEDIA_TYPE = "application/problem+json";

    private Problem() {
    }

    public record Body(String type, String title, int status, String detail) {
    }

    public static WebApplicationException badRequest(String detail) {
        return new WebApplicationException(Response.status(400).type(MEDIA_TYPE)
                .entity(new Body("about:blank", "Bad Request", 400, detail)).build());
    }
}
