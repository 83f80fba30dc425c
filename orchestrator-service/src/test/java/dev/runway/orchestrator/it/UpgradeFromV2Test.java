package dev.runway.orchestrator.it;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import dev.runway.events.DeployRequested;
import dev.runway.events.DeploymentStarted;
import dev.runway.orchestrator.support.Manifests;
import dev.runway.orchestrator.support.Participants;
import dev.runway.orchestrator.support.Waits;
import dev.runway.testsupport.Backbone;
import dev.runway.testsupport.Tokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;

/**
 * Upgrade from the schema before tenancy (V2) with rows in it: deployments, live releases and audit
 * entries carry over, each live release gets its project, the project registry is filled, and the
 * project environment views and "rollback previous" work on the old history (with fencing tokens
 * above the ones it remembers).
 */
@QuarkusTest
@QuarkusTestResource(value = UpgradeBackbone.class, restrictToAnnotatedClass = true)
class UpgradeFromV2Test {

    private static final String SRE = Tokens.bearer("sam", "sre", "deployer", "viewer");
    private static final String PROJECT = UpgradeBackbone.PROJECT;

    private static List<Map<String, Object>> query(String sql, Object... args) {
        Backbone backbone = Backbone.get();
        return PgAdmin.query(backbone, backbone.jdbcPgUrl(UpgradeBackbone.DATABASE), sql, args);
    }

    private static JsonPath awaitState(String id, String state) {
        return Waits.untilState(id, state, Duration.ofSeconds(30), () -> given().header("Authorization", SRE)
                .when().get("/deployments/" + id).then().statusCode(200).extract().jsonPath());
    }

    /** The highest V<n>__ of the service's own migrations: the version an upgrade must reach. */
    private static int latestMigration() {
        try (Stream<Path> files = Files.list(Path.of("src/main/resources/db/migration"))) {
            return files.map(f -> f.getFileName().toString()).filter(n -> n.matches("V\\d+__.*\\.sql"))
                    .mapToInt(n -> Integer.parseInt(n.substring(1, n.indexOf("__")))).max().orElseThrow();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void shouldCarryTheOldRowsOverAndWorkOnThem() {
        // Rows: the project filled from the deployment that released each live version; the registry filled.
        assertEquals(String.valueOf(latestMigration()), String.valueOf(query("select max(version) v from flyway_schema_history where success").get(0).get("v")),
                "upgraded to the newest migration the service carries");
        List<Map<String, Object>> releases = query("select project, environment, component, version from environment_release "
                + "where project in (?, ?) order by component", PROJECT, UpgradeBackbone.OTHER);
        assertEquals(List.of(Map.of("project", PROJECT, "environment", "DEVELOPMENT", "component", "web", "version", "1.1.0"),
                Map.of("project", UpgradeBackbone.OTHER, "environment", "DEVELOPMENT", "component", "worker", "version", "7.0.0")),
                releases);
        List<Map<String, Object>> registered = query("select name, safe_name, client from project where name = ?", PROJECT);
        assertEquals(1, registered.size());
        assertEquals(PROJECT, registered.get(0).get("safe_name"));
        assertEquals(null, registered.get(0).get("client"), "the old rows never said whose project it was");

        // The views: each project environment has its own live versions; old deployments keep their audit trail.
        given().header("Authorization", SRE).when().get("/projects/" + PROJECT + "/environments/development").then()
                .statusCode(200).body("live.size()", equalTo(1)).body("live[0].component", equalTo("web"))
                .body("live[0].version", equalTo("1.1.0")).body("live[0].deploymentId", equalTo(UpgradeBackbone.SECOND.toString()))
                .body("recent.id", hasItem(UpgradeBackbone.FIRST.toString()));
        given().header("Authorization", SRE).when().get("/environments/development").then().statusCode(200)
                .body("projects.find { it.project == '" + UpgradeBackbone.OTHER + "' }.live[0].component", equalTo("worker"));
        given().header("Authorization", SRE).when().get("/deployments/" + UpgradeBackbone.FIRST).then().statusCode(200)
                .body("client", nullValue()).body("events[0].detail", equalTo("from before tenancy"));
        // A project of no known client: only agency-wide tokens see it.
        String acme = Tokens.scoped("alice", List.of("acme/*"), "sre", "deployer", "viewer");
        given().header("Authorization", acme).when().get("/deployments/" + UpgradeBackbone.FIRST).then().statusCode(403)
                .body("detail", containsString(PROJECT));

        // "rollback previous" works per project environment on the old history; the token floor is the history's.
        try (Participants participants = new Participants()) {
            String back = given().header("Authorization", SRE).contentType(ContentType.JSON).body(Map.of("reason", "upgrade check"))
                    .when().post("/projects/" + PROJECT + "/environments/development/rollback").then().statusCode(202)
                    .body("version", equalTo("1.0.0")).extract().path("id");
            participants.answerUntil(back, null);
            awaitState(back, "SUCCEEDED");
            long token = participants.next(back, DeploymentStarted.class).getFencingToken();
            assertTrue(token > 4, "Postgres remembers token 4 for this project environment; got " + token);
            // The release from before the upgrade that it replaced is kept (V4), shown as the previous one.
            given().header("Authorization", SRE).when().get("/projects/" + PROJECT + "/environments/development").then()
                    .statusCode(200).body("live[0].version", equalTo("1.0.0"))
                    .body("previous[0].version", equalTo("1.1.0")).body("previous[0].replacedBy", equalTo(back));

            // The first manifest that names the client claims the project and its history for that client.
            Map<String, Object> body = new HashMap<>();
            body.put("project", PROJECT);
            body.put("version", "1.2.0");
            body.put("environment", "development");
            body.put("manifest", Manifests.of(PROJECT, false, "strategy: blue-green"));
            String next = given().header("Authorization", acme).contentType(ContentType.JSON).body(body).when().post("/deployments")
                    .then().statusCode(202).body("client", equalTo("acme")).extract().path("id");
            participants.next(next, DeployRequested.class);
            given().header("Authorization", acme).when().get("/deployments/" + UpgradeBackbone.FIRST).then().statusCode(200)
                    .body("client", equalTo("acme"));
            given().header("Authorization", acme).contentType(ContentType.JSON).body(Map.of("reason", "test over"))
                    .when().post("/deployments/" + next + "/cancel").then().statusCode(200);
            awaitState(next, "CANCELLED");
        }
    }
}
