package dev.runway.testsupport;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;

import org.junit.jupiter.api.Test;

/**
 * What every service promises about its backbone: readiness names the real connections it uses,
 * health needs no token, metrics need one of role metrics or sre (what Prometheus scrapes with), and
 * OpenAPI is served in the test profile. A service's {@code @QuarkusTest} extends this and says which
 * readiness checks it must report.
 */
public abstract class BackboneHealthContract {

    protected static final String KAFKA = "Kafka connection health check";
    protected static final String POSTGRES = "Reactive PostgreSQL connections health check";
    protected static final String REDIS = "Redis connection health check";
    /** messaging-support's InboundReadiness: DOWN while a record has been retried for too long. */
    protected static final String INBOUND = "inbound records";

    /** Names of the readiness checks this service must report as UP. */
    protected abstract String[] expectedReadinessChecks();

    @Test
    void shouldReportRealBackingServicesInReadiness() {
        given().when().get("/q/health/ready")
                .then().statusCode(200)
                .body("status", equalTo("UP"))
                .body("checks.name", hasItems(expectedReadinessChecks()));
    }

    @Test
    void shouldServeMetricsToScrapersAndOpenApi() {
        given().header("Authorization", Tokens.bearer("prometheus", "metrics")).when().get("/q/metrics")
                .then().statusCode(200).body(containsString("jvm_memory_used_bytes"));
        given().header("Authorization", Tokens.bearer("sre", "sre")).when().get("/q/metrics").then().statusCode(200);
        given().when().get("/q/health/live").then().statusCode(200);
        given().when().get("/q/openapi").then().statusCode(200).body(containsString("openapi"));
    }

    @Test
    void shouldRefuseMetricsWithoutAScraperToken() {
        given().when().get("/q/metrics").then().statusCode(401);
        given().header("Authorization", Tokens.bearer("vic", "viewer", "deployer", "approver")).when().get("/q/metrics")
                .then().statusCode(403);
        given().header("Authorization", Tokens.withAudience(null, "prometheus", "metrics")).when().get("/q/metrics")
                .then().statusCode(401);
    }
}
