package dev.runway.notifier.support;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;

import com.icegreen.greenmail.util.GreenMail;

import dev.runway.events.Envelopes;
import dev.runway.events.Environment;
import dev.runway.events.Topics;
import dev.runway.notifier.messaging.ReceivedEvents;
import dev.runway.testsupport.AvroKafka;
import dev.runway.testsupport.Backbone;
import dev.runway.testsupport.Tokens;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;

/**
 * Shared ground of the notifier's end-to-end tests: a producer on the real broker, the real HTTP and
 * SMTP endpoints, and a look at the delivery log through {@code GET /deliveries}. Each test uses a
 * fresh deployment id.
 */
public abstract class NotifierScenario {

    protected static KafkaProducer<String, Object> producer;

    @InjectEndpoints
    protected TestEndpoints endpoints;

    @InjectEndpoints
    protected GreenMail greenMail;

    @Inject
    protected ReceivedEvents received;

    private static boolean consumersReady;

    @BeforeAll
    static void openProducer() {
        producer = AvroKafka.producer(Backbone.get());
    }

    @AfterAll
    static void closeProducer() {
        producer.close(Duration.ofSeconds(5));
    }

    /**
     * The notifier's consumers start at the end of their topics, in a group of this run: a probe sent
     * before a consumer has its partitions is never seen. So send a probe (development: announced
     * nowhere) and give it three seconds, again until each consumer has seen one; nothing a test sends
     * afterwards is missed.
     */
    @BeforeEach
    void awaitConsumers() {
        if (consumersReady) {
            return;
        }
        Events probe = new Events("probe-" + UUID.randomUUID(), Environment.DEVELOPMENT, "probe");
        for (String topic : List.of(Topics.DEPLOYMENTS, Topics.HEALTH_DECISIONS)) {
            await("the notifier's consumer of " + topic + " started").atMost(Duration.ofSeconds(90))
                    .until(() -> probeSeen(topic, probe));
        }
        consumersReady = true;
    }

    private boolean probeSeen(String topic, Events probe) {
        SpecificRecord record = topic.equals(Topics.DEPLOYMENTS) ? probe.stepStarted("probe") : probe.healthPassed();
        publish(topic, record);
        String eventId = Envelopes.headerOf(record).getEventId();
        try {
            await().atMost(Duration.ofSeconds(3)).until(() -> received.byEventId(eventId).isPresent());
            return true;
        } catch (ConditionTimeoutException e) {
            return false;
        }
    }

    protected static void publish(String topic, SpecificRecord record) {
        AvroKafka.send(producer, topic, Envelopes.headerOf(record).getDeploymentId(), record);
    }

    protected static void lifecycle(SpecificRecord record) {
        publish(Topics.DEPLOYMENTS, record);
    }

    protected static void health(SpecificRecord record) {
        publish(Topics.HEALTH_DECISIONS, record);
    }

    protected static String newDeploymentId() {
        return UUID.randomUUID().toString();
    }

    /** The delivery log of one deployment, newest first, as {@code GET /deliveries} returns it. */
    protected static List<Map<String, Object>> deliveries(String deploymentId) {
        return given().header("Authorization", Tokens.sre()).queryParam("deploymentId", deploymentId).queryParam("size", 200)
                .when().get("/deliveries")
                .then().statusCode(200).contentType(ContentType.JSON)
                .extract().jsonPath().getList("items");
    }

    protected static List<Map<String, Object>> deliveries(String deploymentId, String eventType) {
        return deliveries(deploymentId).stream().filter(d -> eventType.equals(d.get("eventType"))).toList();
    }

    /** Webhook/Slack requests whose body mentions the deployment. */
    protected List<TestEndpoints.Request> requestsFor(String deploymentId, String pathPrefix) {
        return endpoints.requests(r -> r.path().startsWith(pathPrefix) && r.body().contains(deploymentId));
    }
}
