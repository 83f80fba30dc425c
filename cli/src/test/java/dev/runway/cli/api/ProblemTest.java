package dev.runway.cli.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;

import org.junit.jupiter.api.Test;

/** Error answers of the orchestrator (ProblemMappers) turned into readable lines and exit codes. */
class ProblemTest {

    @Test
    void shouldPrintTitleDetailAndEachField() {
        ApiException e = ApiClient.error(400, """
                {"type":"about:blank","title":"Bad Request","status":400,"detail":"2 invalid field(s): environment, version",
                 "instance":"/deployments","errors":[{"field":"environment","message":"must be one of development, staging, uat, production"},
                 {"field":"version","message":"must be a semantic version such as 1.4.2 or v1.4.2-rc.1"}]}""");
        assertEquals(5, e.exitCode());
        assertEquals(List.of(
                "error: 400 Bad Request: 2 invalid field(s): environment, version",
                "  environment: must be one of development, staging, uat, production",
                "  version: must be a semantic version such as 1.4.2 or v1.4.2-rc.1"), e.describe());
    }

    @Test
    void shouldHintAtTheTokenOn401AndRolesOn403() {
        ApiException unauthorized = ApiClient.error(401, "{\"title\":\"Unauthorized\",\"status\":401,\"detail\":\"a valid bearer token is required\"}");
        assertEquals(5, unauthorized.exitCode());
        assertEquals("hint: give a bearer token with --token or RUNWAY_TOKEN (locally: ./runway token <user> <roles>)",
                unauthorized.describe().get(1));
        ApiException forbidden = ApiClient.error(403, "{\"title\":\"Forbidden\",\"status\":403,\"detail\":\"the requester cannot approve their own deployment\"}");
        assertEquals("error: 403 Forbidden: the requester cannot approve their own deployment", forbidden.describe().get(0));
    }

    @Test
    void shouldTreatServerErrorsAsUnavailableAndSurviveBodiesThatAreNotProblems() {
        ApiException e = ApiClient.error(503, "<html>Service Unavailable</html>");
        assertEquals(6, e.exitCode());
        assertNull(e.problem());
        assertEquals("error: 503 HTTP 503: <html>Service Unavailable</html>", e.describe().get(0));
        assertEquals(6, ApiClient.error(500, "{\"title\":\"Internal Server Error\",\"status\":500,\"detail\":\"an unexpected error occurred\"}").exitCode());
        assertEquals(5, ApiClient.error(409, "").exitCode());
        assertEquals("error: 409 HTTP 409", ApiClient.error(409, "").describe().get(0));
    }
}
