package dev.runway.healthwatcher.watch;

import static dev.runway.healthwatcher.support.Commands.thresholds;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import dev.runway.events.StartWatch;
import dev.runway.events.Topics;
import dev.runway.events.WatchTarget;
import dev.runway.healthwatcher.sources.OutboundHttp;
import dev.runway.healthwatcher.support.Commands;
import dev.runway.healthwatcher.support.TestServer;
import dev.runway.testsupport.AvroKafka;
import dev.runway.testsupport.Backbone;
import dev.runway.testsupport.BackboneTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.vertx.core.Future;

/**
 * The same targets OutboundWatchTest sees refused, once the operator's allowlist names them: watched and
 * fetched. Only entries that name them open them: a neighbouring address or another port stays refused.
 */
@QuarkusTest
@TestProfile(OutboundAllowlistTest.Allowlisted.class)
@QuarkusTestResource(value = BackboneTestResource.class, initArgs = { @ResourceArg(name = "database", value = "runway_health_test"),
        @ResourceArg(name = "jdbc", value = "true") })
class OutboundAllowlistTest {

    /** Its own project prefix, so this instance never takes the other tests' (refused) watches. */
    static final String PROJECT = "hw-test-allow-shop";

    public static class Allowlisted implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("runway.health.outbound.allow", "127.0.0.1:1024-65535, 127.0.0.2/32, 10.0.0.1:80, 169.254.169.254:80",
                    "runway.health.only-projects", "hw-test-allow-");
        }
    }

    private final OutboundHttp outbound;

    OutboundAllowlistTest(OutboundHttp outbound) {
        this.outbound = outbound;
    }

    static Throwable outcome(Future<Void> f) {
        try {
            f.toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
            return null;
        } catch (ExecutionException e) {
            return e.getCause();
        } catch (InterruptedException | TimeoutException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void theMetadataAndPrivateAddressesAreAdmittedOnlyAsFarAsTheAllowlistNamesThem() {
        // Admission only: nothing is fetched from these addresses by the test.
        assertNull(outcome(outbound.admit("http://10.0.0.1/q/metrics")), "10.0.0.1:80 is named");
        assertNull(outcome(outbound.admit("http://169.254.169.254/latest/meta-data/")), "169.254.169.254:80 is named");
        for (String url : List.of("http://10.0.0.2/q/metrics", "http://10.0.0.1:8080/q/metrics", "http://169.254.169.254:8080/",
                "http://127.0.0.3:9100/q/metrics")) {
            Throwable refused = outcome(outbound.admit(url));
            assertInstanceOf(OutboundHttp.RefusedTarget.class, refused, url);
            assertTrue(refused.getMessage().contains("does not name it"), refused.getMessage());
        }
    }

    @Test
    void aWatchOfAnAllowlistedLoopbackAddressRunsAndFetches() {
        try (TestServer other = TestServer.on("127.0.0.2"); KafkaProducer<String, Object> producer = AvroKafka.producer(Backbone.get())) {
            StartWatch start = Commands.startWatch(Commands.CLIENT, PROJECT, UUID.randomUUID().toString(), 60, thresholds(5, 30),
                    List.of(WatchTarget.newBuilder().setComponent("api").setMetricsUrl(other.url("/q/metrics"))
                            .setHealthUrl(other.url("/health")).build()));
            AvroKafka.send(producer, Topics.HEALTH_COMMANDS, start.getHeader().getDeploymentId(), start);
            Awaitility.await("127.0.0.2 scraped and probed").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                    .until(() -> other.requests.contains("/q/metrics") && other.requests.contains("/health"));
            assertTrue(WatchFlowTest.liveWatches().contains(start.getWatchId()), "the watch runs");
            AvroKafka.send(producer, Topics.HEALTH_COMMANDS, start.getHeader().getDeploymentId(), Commands.stopWatch(start, "test over"));
        }
    }
}
