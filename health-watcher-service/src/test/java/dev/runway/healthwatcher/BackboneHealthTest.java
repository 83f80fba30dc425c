package dev.runway.healthwatcher;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;

import org.junit.jupiter.api.Test;

import dev.runway.testsupport.BackboneTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;

/** Readiness reports the real Kafka and Postgres connections; metrics and OpenAPI are served. */
@QuarkusTest
@QuarkusTestResource(value = BackboneTestResource.class, initArgs = @ResourceArg(name = "database", value = "runway_health_test"))
class BackboneHealthTest {

    @Test
    void shouldReportRealBackingServicesInReadiness() {
        given().when().get("/q/health/ready")
                .then().statusCode(200)
                .body("status", equalTo("UP"))
                .body("checks.name", hasItems("Kafka connection health check", "Reactive PostgreSQL connections health check"));
    }

    @Test
    void shouldServeMetricsAndOpenApi() {
        given().when().get("/q/metrics").then().statusCode(200).body(containsString("jvm_memory_used_bytes"));
        given().when().get("/q/openapi").then().statusCode(200).body(containsString("openapi"));
    }
}
