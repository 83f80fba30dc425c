package dev.runway.orchestrator.api;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.junit.jupiter.api.Test;

import dev.runway.orchestrator.support.Manifests;
import dev.runway.testsupport.ApiSecurityWalker;
import dev.runway.testsupport.BackboneTestResource;
import dev.runway.testsupport.Tokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

/**
 * Every operation of the orchestrator's OpenAPI document needs a token of the audience runway, of one of the
 * operation's roles, covering the project it touches (issue 15). The walker finds new operations by itself.
 */
@QuarkusTest
@QuarkusTestResource(value = BackboneTestResource.class, initArgs = {
        @ResourceArg(name = "database", value = "runway_orchestrator_test"),
        @ResourceArg(name = "jdbc", value = "true"),
        @ResourceArg(name = "redis", value = "true") })
class ApiSecurityTest {

    @Test
    void everyOperationNeedsATokenOfItsRolesForItsProject() throws JsonProcessingException {
        String run = UUID.randomUUID().toString().substring(0, 8);
        String client = "wc" + run;
        String project = "wp" + run;
        Map<String, Object> request = Map.of("project", project, "version", "1.4.2", "environment", "uat",
                "manifest", Manifests.of(project, client, false, "strategy: blue-green"));
        String id = given().header("Authorization", Tokens.bearer("sam", "deployer")).contentType(ContentType.JSON).body(request)
                .when().post("/deployments").then().statusCode(202).extract().path("id");
        String note = "{\"reason\":\"walking the API\"}";

        List<String> walked = ApiSecurityWalker.covering(client + "/" + project, "someone-else/*", project)
                .path("id", id).path("project", project).path("env", "uat")
                .query("project", project).query("environment", "uat")
                .body("POST /deployments", new ObjectMapper().writeValueAsString(request))
                .body("POST /deployments/{id}/approvals", note).body("POST /deployments/{id}/window-override", note)
                .body("POST /deployments/{id}/cancel", note).body("POST /deployments/{id}/rollback", note)
                .body("POST /projects/{project}/environments/{env}/rollback", note)
                .gone("POST /environments/{env}/rollback")
                .atLeast(12).walk();
        assertTrue(walked.contains("GET /metrics/dora") && walked.contains("POST /deployments"), walked.toString());
    }
}
