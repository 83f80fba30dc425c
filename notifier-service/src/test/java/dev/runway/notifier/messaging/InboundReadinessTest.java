package dev.runway.notifier.messaging;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Clock;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.inject.Inject;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

import dev.runway.events.Environment;
import dev.runway.events.Envelopes;
import dev.runway.events.StopWatch;
import dev.runway.events.Topics;
import dev.runway.messaging.inbound.InboundPipeline;
import dev.runway.testsupport.AvroKafka;
import dev.runway.testsupport.Backbone;
import dev.runway.testsupport.BackboneTestResource;
import dev.runway.testsupport.Tokens;
import io.apicurio.registry.serde.avro.AvroKafkaSerializer;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.mutiny.Uni;

/**
 * A dependency outage as the service shows it (issue 17): the record is retried for as long as it takes, readiness is
 * DOWN with the redacted reason after {@code runway.inbound.unready-after} (1 s in this profile), the retries are
 * counted, and readiness comes back UP once the record is handled. The pipeline is the service's own bean.
 */
@QuarkusTest
@QuarkusTestResource(value = BackboneTestResource.class, initArgs = @ResourceArg(name = "database", value = "runway_notifier_test"))
class InboundReadinessTest {

    @Inject
    InboundPipeline inbound;

    @Test
    void shouldBeUnreadyWhileARecordIsRetriedAndReadyOnceItIsHandled() {
        Backbone backbone = Backbone.get();
        StopWatch record = StopWatch.newBuilder()
                .setHeader(Envelopes.first(UUID.randomUUID().toString(), Environment.STAGING, "ledger", "acme", Clock.systemUTC()))
                .setWatchId("w-readiness").setReason("test").build();
        byte[] bytes;
        try (AvroKafkaSerializer<StopWatch> serializer = new AvroKafkaSerializer<>()) {
            serializer.configure(AvroKafka.serdeConfig(backbone), false);
            bytes = serializer.serialize(Topics.HEALTH_COMMANDS, record);
        }
        AtomicBoolean outage = new AtomicBoolean(true);
        AtomicInteger tries = new AtomicInteger();
        CompletableFuture<Void> handled = inbound.process(new ConsumerRecord<>(Topics.HEALTH_COMMANDS, 0, 4711L, "k", bytes), r -> {
            tries.incrementAndGet();
            return outage.get()
                    ? Uni.createFrom().failure(new IllegalStateException("postgres://notifier:s3cr3t-pw@db:5432/runway_notifier refused"))
                    : Uni.createFrom().voidItem();
        }).subscribeAsCompletionStage();

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> given().get("/q/health/ready").then().statusCode(503)
                .body("checks.find { it.name == 'inbound records' }.status", equalTo("DOWN"))
                .body("checks.find { it.name == 'inbound records' }.data.oldest", equalTo(Topics.HEALTH_COMMANDS + "-0@4711"))
                .body(containsString("postgres://***@db:5432")).body(not(containsString("s3cr3t-pw"))));
        given().header("Authorization", Tokens.bearer("prometheus", "metrics")).get("/q/metrics").then().statusCode(200)
                .body(containsString("runway_inbound_retries_total{topic=\"" + Topics.HEALTH_COMMANDS + "\"}"))
                .body(containsString("runway_inbound_retrying"));

        outage.set(false);
        await().atMost(Duration.ofSeconds(60)).until(handled::isDone);
        assertEquals(false, handled.isCompletedExceptionally());
        given().get("/q/health/ready").then().statusCode(200)
                .body("checks.name", hasItem("inbound records"));
    }
}
