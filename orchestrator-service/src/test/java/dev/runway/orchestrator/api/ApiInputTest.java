package dev.runway.orchestrator.api;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import dev.runway.orchestrator.support.Manifests;
import dev.runway.testsupport.BackboneTestResource;
import dev.runway.testsupport.Tokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;

/** Bad input and missing rights: always a 4xx application/problem+json that names the field, never a 500. */
@QuarkusTest
@QuarkusTestResource(value = BackboneTestResource.class, initArgs = {
        @ResourceArg(name = "database", value = "runway_orchestrator_test"),
        @ResourceArg(name = "jdbc", value = "true"),
        @ResourceArg(name = "redis", value = "true") })
class ApiInputTest {

    private static final String DEPLOYER = Tokens.bearer("dana", "deployer");
    private static final String PROBLEM = "application/problem+json";

    private static Map<String, Object> valid() {
        Map<String, Object> body = new HashMap<>();
        body.put("project", "shop");
        body.put("version", "1.2.3");
        body.put("environment", "staging");
        body.put("manifest", Manifests.of("shop", false, null));
        return body;
    }

    private static ValidatableResponse post(Object body) {
        return given().header("Authorization", DEPLOYER).contentType(ContentType.JSON).body(body)
                .when().post("/deployments").then();
    }

    private static ValidatableResponse postWith(String field, Object value) {
        Map<String, Object> body = valid();
        body.put(field, value);
        return post(body);
    }

    @Test
    void shouldRequireABearerToken() {
        given().contentType(ContentType.JSON).body(valid()).when().post("/deployments").then()
                .statusCode(401).contentType(PROBLEM).header("WWW-Authenticate", "Bearer");
        given().header("Authorization", "Bearer not-a-jwt").when().get("/deployments").then().statusCode(401).contentType(PROBLEM);
    }

    @Test
    void shouldRefuseRolesThatMayNotAct() {
        given().header("Authorization", Tokens.bearer("vic", "viewer")).contentType(ContentType.JSON).body(valid())
                .when().post("/deployments").then().statusCode(403).contentType(PROBLEM);
        given().header("Authorization", DEPLOYER).contentType(ContentType.JSON).body(Map.of())
                .when().post("/deployments/" + UUID.randomUUID() + "/approvals").then().statusCode(403).contentType(PROBLEM);
    }

    @Test
    void shouldNameTheUnknownEnvironment() {
        postWith("environment", "mars").statusCode(400).contentType(PROBLEM).body("errors.field", hasItem("environment"));
        given().header("Authorization", DEPLOYER).when().get("/environments/mars").then().statusCode(400)
                .contentType(PROBLEM).body("errors[0].field", equalTo("environment"));
    }

    @Test
    void shouldNameEveryMissingField() {
        post(Map.of("manifest", "x")).statusCode(400).contentType(PROBLEM)
                .body("errors.field", hasItem("project")).body("errors.field", hasItem("version"))
                .body("errors.field", hasItem("environment"));
        given().header("Authorization", DEPLOYER).contentType(ContentType.JSON).when().post("/deployments").then()
                .statusCode(400).contentType(PROBLEM);
    }

    @Test
    void shouldRefuseAnInvalidVersion() {
        for (String version : List.of("1.2", "latest", "1.2.3.4", "01.2.3")) {
            postWith("version", version).statusCode(400).contentType(PROBLEM).body("errors.field", hasItem("version"));
        }
    }

    @Test
    void shouldRefuseMalformedJson() {
        given().header("Authorization", DEPLOYER).contentType(ContentType.JSON).body("{\"project\": ")
                .when().post("/deployments").then().statusCode(400).contentType(PROBLEM);
        postWith("dryRun", "maybe").statusCode(400).contentType(PROBLEM).body("errors[0].field", equalTo("dryRun"));
    }

    @Test
    void shouldNameTheManifestFieldThatIsWrong() {
        postWith("manifest", "version: \"1.0\"\nproject: [unclosed").statusCode(400).contentType(PROBLEM)
                .body("errors[0].field", equalTo("/manifest"));
        postWith("manifest", Manifests.of("shop", false, null).replace("port: 3000", "port: \"abc\""))
                .statusCode(400).contentType(PROBLEM).body("errors.field", hasItem("/manifest/components/web/port"));
        postWith("manifest", "a: &a [*a, *a]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: [*b, *b, *b, *b, *b, *b, *b, *b]")
                .statusCode(400).contentType(PROBLEM);
        postWith("project", "other").statusCode(400).contentType(PROBLEM).body("errors[0].field", equalTo("project"))
                .body("detail", containsString("project.name"));
        postWith("components", List.of("web", "mobile")).statusCode(400).contentType(PROBLEM)
                .body("errors[0].field", equalTo("components[1]"));
        Map<String, Object> neither = valid();
        neither.remove("manifest");
        post(neither).statusCode(400).contentType(PROBLEM).body("errors[0].field", equalTo("manifest"));
    }

    @Test
    void shouldRefuseWhatTheSharedManifestReaderRefusesNamingTheReason() {
        String manifest = Manifests.of("shop", false, null);
        postWith("manifest", manifest + "x-base: &base {a: 1}\n").statusCode(400).contentType(PROBLEM)
                .body("errors[0].field", equalTo("/manifest")).body("detail", containsString("anchors (&base) are not allowed"));
        postWith("manifest", manifest.replace("healthcheck: /health", "healthcheck: *nowhere")).statusCode(400)
                .contentType(PROBLEM).body("errors[0].field", equalTo("/manifest"))
                .body("detail", containsString("aliases (*nowhere) are not allowed"));
        postWith("manifest", manifest + manifest).statusCode(400).contentType(PROBLEM)
                .body("errors[0].field", equalTo("/manifest")).body("detail", containsString("Duplicate field"));
        postWith("manifest", manifest.replace("type: web", "type: \"" + "w".repeat(20_000) + "\"")).statusCode(400)
                .contentType(PROBLEM).body("errors[0].field", equalTo("/manifest")).body("detail", containsString("longer than"));
        // A manifest sent as a JSON object meets the same limits as YAML text.
        Map<String, Object> deep = new HashMap<>();
        Map<String, Object> level = deep;
        for (int i = 0; i < 60; i++) {
            Map<String, Object> inner = new HashMap<>();
            level.put("k", inner);
            level = inner;
        }
        postWith("manifest", deep).statusCode(400).contentType(PROBLEM).body("errors[0].field", equalTo("/manifest"))
                .body("detail", containsString("nesting depth"));
    }

    @Test
    void shouldRefuseAMalformedProjectScopeClaimNamingIt() {
        String malformed = Tokens.scoped("mal", List.of("acme"), "viewer");
        given().header("Authorization", malformed).when().get("/projects").then().statusCode(403).contentType(PROBLEM)
                .body("detail", containsString("runway_projects"));
        given().header("Authorization", DEPLOYER).when().get("/projects/shop/environments/mars").then().statusCode(400)
                .contentType(PROBLEM).body("errors[0].field", equalTo("environment"));
    }

    @Test
    void shouldDocumentTheProjectRoutes() {
        given().queryParam("format", "json").when().get("/q/openapi").then().statusCode(200)
                .body(containsString("/projects/{project}/environments/{env}/rollback"))
                .body(containsString("/projects/{project}/environments/{env}\""))
                .body(containsString("runway_projects"));
    }

    @Test
    void shouldRefuseAnOversizedBody() {
        postWith("ciEvidence", "x".repeat(300_000)).statusCode(413).contentType(PROBLEM);
    }

    @Test
    void shouldAnswer400And404ForDeploymentIds() {
        given().header("Authorization", DEPLOYER).when().get("/deployments/not-a-uuid").then().statusCode(400)
                .contentType(PROBLEM).body("errors[0].field", equalTo("id"));
        given().header("Authorization", DEPLOYER).when().get("/deployments/" + UUID.randomUUID()).then().statusCode(404)
                .contentType(PROBLEM);
        given().header("Authorization", DEPLOYER).queryParam("size", 0).when().get("/deployments").then().statusCode(400)
                .contentType(PROBLEM);
    }
}
