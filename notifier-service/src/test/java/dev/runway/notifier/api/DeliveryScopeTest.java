package dev.runway.notifier.api;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import dev.runway.events.Environment;
import dev.runway.notifier.support.Events;
import dev.runway.notifier.support.NotifierEndpointsResource;
import dev.runway.notifier.support.NotifierScenario;
import dev.runway.testsupport.ApiSecurityWalker;
import dev.runway.testsupport.BackboneTestResource;
import dev.runway.testsupport.Tokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;

/**
 * Two clients' projects deploy to production at once: each delivery names its project and client, a reader
 * of one client sees only that client's deliveries and dead letters, and a project environment with rules
 * of its own is routed by them, not by its environment's.
 */
@QuarkusTest
@QuarkusTestResource(value = BackboneTestResource.class, initArgs = @ResourceArg(name = "database", value = "runway_notifier_test"))
@QuarkusTestResource(NotifierEndpointsResource.class)
class DeliveryScopeTest extends NotifierScenario {

    // Fresh clients per run: the test database keeps earlier runs' rows.
    private static final String RUN = UUID.randomUUID().toString().substring(0, 8);
    private static final String CLIENT_A = "nt-a-" + RUN;
    private static final String CLIENT_B = "nt-b-" + RUN;

    @Test
    void aReaderOfOneClientSeesOnlyThatClientsDeliveriesAndDeadLetters() {
        String a = newDeploymentId();
        String b = newDeploymentId();
        Events eventsA = new Events(a, Environment.PRODUCTION, "tenant-a-shop", CLIENT_A);
        Events eventsB = new Events(b, Environment.PRODUCTION, "tenant-b-shop", CLIENT_B);
        // B's manifest webhook answers 410: a dead letter of B's.
        lifecycle(eventsB.deployRequested("v1.0.0", Events.manifest("webhooks: [\"" + endpoints.baseUrl() + "/hook/" + b + "/gone\"]")));
        lifecycle(eventsA.started("v2.0.0"));
        lifecycle(eventsB.started("v1.0.0"));
        await("A's three deliveries").atMost(Duration.ofSeconds(20)).until(() -> deliveries(a),
                l -> l.size() == 3 && l.stream().allMatch(d -> "DELIVERED".equals(d.get("status"))));
        await("B's dead letter").atMost(Duration.ofSeconds(20)).until(() -> deliveries(b),
                l -> l.stream().anyMatch(d -> "DEAD".equals(d.get("status"))));

        // Stored with project and client; A's project environment uses production's rules, B's its own.
        List<Map<String, Object>> ofA = deliveries(a);
        assertThat(ofA.stream().map(d -> d.get("client")).distinct().toList(), equalTo(List.of(CLIENT_A)));
        assertThat(ofA.stream().map(d -> d.get("project")).distinct().toList(), equalTo(List.of("tenant-a-shop")));
        assertThat(ofA.stream().map(d -> (String) d.get("endpoint")).toList(),
                containsInAnyOrder("slack:#deployments", "email:oncall@runway.test", "webhook:audit"));
        List<Map<String, Object>> ofB = deliveries(b);
        assertThat(ofB.stream().map(d -> d.get("client")).distinct().toList(), equalTo(List.of(CLIENT_B)));
        assertThat(ofB.stream().map(d -> (String) d.get("endpoint")).filter(e -> !e.startsWith("webhook:http")).distinct().toList(),
                equalTo(List.of("slack:#tenant-b")));

        String readerOfA = Tokens.bearer("ann", List.of(CLIENT_A + "/*"), "viewer");
        String readerOfB = Tokens.bearer("bob", List.of(CLIENT_B + "/tenant-b-shop"), "deployer");
        given().header("Authorization", readerOfA).queryParam("size", 200).when().get("/deliveries").then().statusCode(200)
                .body("items.client", everyItem(equalTo(CLIENT_A)))
                .body("items.deploymentId", hasItem(a)).body("items.deploymentId", not(hasItem(b)));
        given().header("Authorization", readerOfA).queryParam("deploymentId", b).when().get("/deliveries").then()
                .statusCode(200).body("total", equalTo(0));
        given().header("Authorization", readerOfA).queryParam("client", CLIENT_B).when().get("/deliveries").then()
                .statusCode(200).body("total", equalTo(0));
        given().header("Authorization", readerOfB).queryParam("project", "TENANT-B-SHOP").queryParam("size", 200).when()
                .get("/deliveries").then().statusCode(200)
                .body("items.deploymentId", hasItem(b)).body("items.deploymentId", not(hasItem(a)));
        // A token without runway_projects works for no project.
        given().header("Authorization", Tokens.bearer("nobody", List.of(), "viewer")).queryParam("deploymentId", a).when()
                .get("/deliveries").then().statusCode(200).body("total", equalTo(0));

        given().header("Authorization", readerOfA).queryParam("limit", 200).when().get("/deliveries/dead-letters").then()
                .statusCode(200).body("deploymentId", not(hasItem(b)));
        given().header("Authorization", readerOfB).queryParam("deploymentId", b).when().get("/deliveries/dead-letters").then()
                .statusCode(200).body("deploymentId", hasItem(b)).body("client", everyItem(equalTo(CLIENT_B)))
                .body("project", everyItem(equalTo("tenant-b-shop")));
    }

    @Test
    void everyOperationNeedsATokenOfItsRolesForItsProject() {
        String a = newDeploymentId();
        lifecycle(new Events(a, Environment.PRODUCTION, "tenant-a-shop", CLIENT_A).started("v2.0.0"));
        await("A's deliveries").atMost(Duration.ofSeconds(20)).until(() -> deliveries(a), l -> !l.isEmpty());
        List<String> walked = ApiSecurityWalker.covering(CLIENT_A + "/tenant-a-shop", "someone-else/*", a)
                .query("deploymentId", a).atLeast(2).walk();
        assertThat(walked, containsInAnyOrder("GET /deliveries", "GET /deliveries/dead-letters"));
    }

    @Test
    void readingNeedsATokenWithAReadingRole() {
        for (String path : List.of("/deliveries", "/deliveries/dead-letters")) {
            given().when().get(path).then().statusCode(401).contentType("application/problem+json")
                    .header("WWW-Authenticate", "Bearer").body("title", equalTo("Unauthorized"));
            given().header("Authorization", "Bearer not-a-jwt").when().get(path).then().statusCode(401)
                    .contentType("application/problem+json");
            given().header("Authorization", Tokens.bearer("eve", List.of("*"), "guest")).when().get(path).then().statusCode(403)
                    .contentType("application/problem+json").body("title", equalTo("Forbidden"));
        }
        given().header("Authorization", Tokens.bearer("eve", List.of("not a pattern"), "viewer")).when().get("/deliveries").then()
                .statusCode(403).contentType("application/problem+json");
        given().when().get("/q/health/live").then().statusCode(200);
    }
}
