package dev.runway.healthwatcher;

import static dev.runway.healthwatcher.support.Commands.startWatch;
import static dev.runway.healthwatcher.support.Commands.stopWatch;
import static dev.runway.healthwatcher.support.Commands.thresholds;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.Test;

import dev.runway.events.StartWatch;
import dev.runway.events.ThresholdBreached;
import dev.runway.events.Topics;
import dev.runway.events.WatchTarget;
import dev.runway.healthwatcher.metrics.WatcherMetrics;
import dev.runway.healthwatcher.support.DemoApp;
import dev.runway.healthwatcher.support.Kafka;
import dev.runway.healthwatcher.watch.WatchService;
import dev.runway.testsupport.AvroKafka;
import dev.runway.testsupport.Backbone;
import dev.runway.testsupport.BackboneTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;

/**
 * Prints (1) the time from the sample that completes a sustained breach to the ThresholdBreached
 * record read from the real broker (median, p99), and (2) how many concurrent watches one instance
 * keeps at a 1 s scrape interval. Not a test (no pass/fail); run with
 * {@code ./mvnw -o -pl health-watcher-service test -Dtest=BreachLatencyBenchmark -Dsurefire.failIfNoSpecifiedTests=false}.
 */
@QuarkusTest
@QuarkusTestResource(value = BackboneTestResource.class, initArgs = { @ResourceArg(name = "database", value = "runway_health_test"),
        @ResourceArg(name = "jdbc", value = "true") })
class BreachLatencyBenchmark {

    static final int BREACHES = Integer.getInteger("bench.breaches", 40);
    static final int[] LEVELS = Arrays.stream(System.getProperty("bench.levels", "100,250,500,1000,1500,2000,3000,4000").split(","))
            .mapToInt(Integer::parseInt).toArray();

    private final WatchService watches;
    private final WatcherMetrics metrics;

    BreachLatencyBenchmark(WatchService watches, WatcherMetrics metrics) {
        this.watches = watches;
        this.metrics = metrics;
    }

    @Test
    void breachToKafkaLatencyAndWatchCapacity() throws Exception {
        List<String> report = new ArrayList<>();
        breachLatency(report);
        capacity(report);
        System.out.println("\n==== BreachLatencyBenchmark ====");
        report.forEach(System.out::println);
        System.out.println("================================\n");
    }

    private void breachLatency(List<String> report) {
        try (DemoApp app = DemoApp.start("9.9.9", 1.0).withTraffic(50);
                KafkaProducer<String, Object> producer = AvroKafka.producer(Backbone.get());
                KafkaConsumer<String, Object> consumer = Kafka.consumerAtEnd(Topics.HEALTH_DECISIONS)) {
            Map<String, Boolean> mine = new HashMap<>();
            for (int i = 0; i < BREACHES; i++) {
                String deploymentId = UUID.randomUUID().toString();
                mine.put(deploymentId, false);
                StartWatch start = startWatch(deploymentId, 120, thresholds(5, 2),
                        List.of(WatchTarget.newBuilder().setComponent("api").setMetricsUrl(app.metricsUrl()).build()));
                AvroKafka.send(producer, Topics.HEALTH_COMMANDS, deploymentId, start);
                DemoApp.sleep(150); // spread the watches over the second, as real deployments are
            }
            List<Long> latencies = new ArrayList<>();
            try {
                // Short polls: the time a record is read is what is measured.
                Kafka.polling("every breach read", Duration.ofSeconds(60)).until(() -> {
                    for (ConsumerRecord<String, Object> r : consumer.poll(Duration.ofMillis(5))) {
                        long receivedAt = System.currentTimeMillis();
                        if (mine.containsKey(r.key()) && r.value() instanceof GenericRecord g && g.getSchema().getName().equals("ThresholdBreached")) {
                            ThresholdBreached tb = AvroKafka.toSpecific(g, ThresholdBreached.class);
                            long completing = tb.getSamples().get(tb.getSamples().size() - 1).getAt().toEpochMilli();
                            latencies.add(receivedAt - completing);
                        }
                    }
                    return latencies.size() >= BREACHES;
                });
            } catch (ConditionTimeoutException e) {
                // A benchmark reports what it measured; the count below shows the breaches that never arrived.
            }
            long[] sorted = latencies.stream().mapToLong(Long::longValue).sorted().toArray();
            report.add(String.format(Locale.ROOT,
                    "breach → ThresholdBreached on Kafka (sample completing a 2 s sustained breach → record polled by a consumer), %d breaches: median %d ms, p99 %d ms, max %d ms",
                    sorted.length, pct(sorted, 50), pct(sorted, 99), sorted.length == 0 ? -1 : sorted[sorted.length - 1]));
        }
    }

    private void capacity(List<String> report) {
        List<DemoApp> apps = new ArrayList<>();
        List<StartWatch> started = new ArrayList<>();
        try {
            for (int i = 0; i < 4; i++) {
                apps.add(DemoApp.start("1.0." + i, 0).withTraffic(20));
            }
            int lastGood = 0;
            for (int level : LEVELS) {
                while (started.size() < level) {
                    DemoApp app = apps.get(started.size() % apps.size());
                    StartWatch s = startWatch(UUID.randomUUID().toString(), 3600, thresholds(5, 600),
                            List.of(WatchTarget.newBuilder().setComponent("api").setMetricsUrl(app.metricsUrl()).setHealthUrl(app.healthUrl()).build()));
                    watches.start(s).await().atMost(Duration.ofSeconds(10));
                    started.add(s);
                }
                DemoApp.sleep(4000); // let the new watches settle into their second
                metrics.drainLags();
                DemoApp.sleep(10_000);
                WatcherMetrics.LagSample sample = metrics.drainLags();
                long[] lags = Arrays.stream(sample.lagsNanos()).map(n -> n / 1_000_000).sorted().toArray();
                long expected = 10L * level;
                boolean keepsUp = pct(lags, 99) < 1000 && sample.skipped() <= expected / 100;
                report.add(String.format(Locale.ROOT,
                        "%5d watches (metrics + health each, 4 demo apps): %6d ticks in 10 s (%d expected), skipped %d, tick lag median %d ms, p99 %d ms → %s",
                        level, lags.length, expected, sample.skipped(), pct(lags, 50), pct(lags, 99), keepsUp ? "keeps up" : "falls behind"));
                if (!keepsUp) {
                    break;
                }
                lastGood = level;
            }
            report.add("capacity at a 1 s scrape interval: " + lastGood + " concurrent watches keep up (last level with p99 tick lag < 1 s and < 1 % skipped ticks)");
        } finally {
            for (StartWatch s : started) {
                watches.stop(stopWatch(s, "benchmark over")).await().atMost(Duration.ofSeconds(10));
            }
            apps.forEach(DemoApp::close);
        }
    }

    static long pct(long[] sorted, int p) {
        if (sorted.length == 0) {
            return -1;
        }
        int i = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, i))];
    }
}
