package dev.runway.orchestrator.bench;

import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.avro.generic.GenericRecord;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.runway.events.DeploymentFailed;
import dev.runway.events.DeploymentRolledBack;
import dev.runway.events.DeploymentSucceeded;
import dev.runway.events.Envelopes;
import dev.runway.events.HealthCheckPassed;
import dev.runway.events.NeedsAttention;
import dev.runway.events.StopWatch;
import dev.runway.events.Topics;
import dev.runway.events.ValidationPassed;
import dev.runway.orchestrator.support.Manifests;
import dev.runway.orchestrator.support.Participants;
import dev.runway.orchestrator.support.Waits;
import dev.runway.testsupport.AvroKafka;
import dev.runway.testsupport.Backbone;
import dev.runway.testsupport.Tokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * N concurrent deployments of N different projects (N clients) to one environment (staging,
 * blue-green, no database, monitoring window 0), for N = 1, 10 and 100; the validator, executor and
 * health-watcher are played by the test and answer every command at once. Before tenancy all of
 * them queued behind one staging lock (N × one saga); now each project environment has its own.
 * Prints the wall time (first POST to the last {@code DeploymentSucceeded} seen on
 * {@code runway.deployments}) and each saga's time (its POST to its {@code DeploymentSucceeded}),
 * p50 and p99. For comparison it then posts N deployments of one project ({@code -Dbench.serial-sizes=10,100}):
 * one project environment, so one lock, as all projects shared one per environment before tenancy.
 * A size is run in rounds until it has at least 20 sagas ({@code -Dbench.sagas-per-size}): wall
 * is the median round, the percentiles are over every saga of the size. Asserts only that every saga
 * succeeded; nothing about time.
 *
 * <p>Not in the normal suite (Surefire's default includes do not match *Benchmark). From a fresh clone:
 * {@code ./mvnw -B -pl orchestrator-service -am test -Dtest=TenancyConcurrencyBenchmark -Dsurefire.failIfNoSpecifiedTests=false}
 * ({@code -Dbench.sizes=1,10,100}, {@code -Dbench.serial-sizes=10,100}, {@code -Dbench.warmup=10}).
 */
@QuarkusTest
@QuarkusTestResource(value = BenchBackbone.class, restrictToAnnotatedClass = true)
class TenancyConcurrencyBenchmark {

    private static final String DEPLOYER = Tokens.bearer("dana", "deployer");
    private static final Duration ROUND_TIMEOUT = Duration.ofMinutes(5);
    /** Projects of this benchmark: the responder answers only their commands. */
    private static final String PREFIX = "tb-";

    @TestHTTPResource("/deployments")
    URL deployments;

    private final ObjectMapper json = new ObjectMapper();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    @Test
    void concurrentProjectsOnOneEnvironment() throws Exception {
        int[] sizes = Arrays.stream(System.getProperty("bench.sizes", "1,10,100").split(",")).map(String::trim)
                .mapToInt(Integer::parseInt).toArray();
        int warmup = Integer.getInteger("bench.warmup", 10);
        try (Responder responder = new Responder()) {
            if (warmup > 0) {
                round(responder, warmup, false);
            }
            StringBuilder report = new StringBuilder(String.format("%nTenancyConcurrencyBenchmark: N concurrent deployments of N"
                    + " projects to staging (blue-green, no database, monitoring 0, participants answer at once)%n"
                    + "  %d cores, load average at start %.2f; warm-up round of %d%n", Runtime.getRuntime().availableProcessors(),
                    ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage(), warmup));
            report.append(String.format("  %5s | %6s | %12s | %10s | %10s | %10s | %s%n", "N", "rounds", "wall (median)",
                    "saga p50", "saga p99", "saga max", "deployments/s"));
            for (int n : sizes) {
                // One round of one saga is one sample: small N is repeated so its percentiles mean something.
                int rounds = Math.max(1, (int) Math.ceil(Integer.getInteger("bench.sagas-per-size", 20) / (double) n));
                List<Double> walls = new ArrayList<>();
                List<Double> sagas = new ArrayList<>();
                for (int i = 0; i < rounds; i++) {
                    Round r = round(responder, n, false);
                    walls.add(r.wallMs);
                    Arrays.stream(r.sorted).forEach(sagas::add);
                }
                double wall = walls.stream().sorted().toList().get((walls.size() - 1) / 2);
                Round all = new Round(wall, sagas.stream().mapToDouble(Double::doubleValue).sorted().toArray());
                report.append(String.format("  %5d | %6d | %9.0f ms | %7.0f ms | %7.0f ms | %7.0f ms | %.2f%n", n, rounds, wall,
                        all.p(50), all.p(99), all.sorted[all.sorted.length - 1], n / (wall / 1000.0)));
            }
            // The same N deployments of ONE project: one project environment, one lock, as every project shared before tenancy.
            int[] serial = Arrays.stream(System.getProperty("bench.serial-sizes", "10,100").split(",")).map(String::trim)
                    .filter(x -> !x.isEmpty()).mapToInt(Integer::parseInt).toArray();
            if (serial.length > 0) {
                report.append(String.format("  baseline: N deployments of one project (one lock, as before tenancy)%n"));
            }
            for (int n : serial) {
                Round r = round(responder, n, true);
                report.append(String.format("  %5d | %6d | %9.0f ms | %7.0f ms | %7.0f ms | %7.0f ms | %.2f%n", n, 1, r.wallMs,
                        r.p(50), r.p(99), r.sorted[r.sorted.length - 1], n / (r.wallMs / 1000.0)));
            }
            report.append(String.format("  load average at end %.2f%n",
                    ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage()));
            System.out.println(report);
        }
    }

    private record Round(double wallMs, double[] sorted) {
        double p(int percentile) {
            int rank = (int) Math.ceil(percentile / 100.0 * sorted.length);
            return sorted[Math.max(0, rank - 1)];
        }
    }

    /** N projects of N clients (or N deployments of one project), posted at once; waits until every saga ended. */
    private Round round(Responder responder, int n, boolean oneProject) throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 6);
        List<CompletableFuture<String>> posted = new ArrayList<>();
        Map<String, Long> postedAt = new ConcurrentHashMap<>();
        long start = System.nanoTime();
        for (int i = 0; i < n; i++) {
            String project = PREFIX + run + "-" + (oneProject ? "one" : i);
            String client = "client-" + run + "-" + (oneProject ? "one" : i);
            String body = json.writeValueAsString(Map.of("project", project, "version", "1.0." + i, "environment", "staging",
                    "manifest", Manifests.of(project, client, false, "strategy: blue-green")));
            HttpRequest request = HttpRequest.newBuilder(URI.create(deployments.toString())).timeout(Duration.ofMinutes(2))
                    .header("Authorization", DEPLOYER).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build();
            long sent = System.nanoTime();
            posted.add(http.sendAsync(request, HttpResponse.BodyHandlers.ofString()).thenApply(response -> {
                if (response.statusCode() != 202) {
                    throw new IllegalStateException("POST answered " + response.statusCode() + ": " + response.body());
                }
                try {
                    String id = json.readTree(response.body()).get("id").asText();
                    postedAt.put(id, sent);
                    return id;
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }));
        }
        List<String> ids = new ArrayList<>();
        for (CompletableFuture<String> f : posted) {
            ids.add(f.get());
        }
        Map<String, Long> ended = responder.awaitEnded(Set.copyOf(ids), ROUND_TIMEOUT);
        long last = ended.values().stream().mapToLong(Long::longValue).max().orElseThrow();
        double[] sagas = ids.stream().mapToDouble(id -> (ended.get(id) - postedAt.get(id)) / 1e6).sorted().toArray();
        List<String> failed = responder.failures(ids);
        if (!failed.isEmpty()) {
            throw new AssertionError(failed.size() + " of " + n + " sagas did not succeed: " + failed);
        }
        return new Round((last - start) / 1e6, sagas);
    }

    /**
     * The validator, executor and health-watcher of every deployment at once: one consumer, each command
     * answered with success as soon as it is read; records when each saga's final event arrives.
     */
    private static final class Responder implements Runnable, AutoCloseable {

        private final KafkaConsumer<String, Object> consumer;
        private final KafkaProducer<String, Object> producer;
        private final Map<String, Long> ended = new ConcurrentHashMap<>();
        private final Map<String, String> outcome = new ConcurrentHashMap<>();
        private final Thread thread;
        private volatile boolean running = true;

        Responder() {
            Backbone backbone = Backbone.get();
            consumer = AvroKafka.consumerAtEnd(backbone, Topics.VALIDATION_REQUESTS, Topics.EXECUTOR_COMMANDS,
                    Topics.HEALTH_COMMANDS, Topics.DEPLOYMENTS);
            producer = AvroKafka.producer(backbone);
            // The consumer is used by this thread only from here on (KafkaConsumer is not thread-safe).
            thread = new Thread(this, "bench-participants");
            thread.setDaemon(true);
            thread.start();
        }

        @Override
        public void run() {
            while (running) {
                for (ConsumerRecord<String, Object> record : consumer.poll(Duration.ofMillis(50))) {
                    if (!(record.value() instanceof GenericRecord g) || !g.getSchema().getFullName().startsWith("dev.runway.events.")) {
                        continue;
                    }
                    SpecificRecord r = specific(g);
                    String project = Envelopes.headerOf(r).getProject();
                    if (project == null || !project.startsWith(PREFIX)) {
                        continue;
                    }
                    String id = Envelopes.headerOf(r).getDeploymentId();
                    if (record.topic().equals(Topics.DEPLOYMENTS)) {
                        if (r instanceof DeploymentSucceeded || r instanceof DeploymentFailed || r instanceof DeploymentRolledBack
                                || r instanceof NeedsAttention) {
                            outcome.putIfAbsent(id, r.getSchema().getName());
                            ended.putIfAbsent(id, System.nanoTime());
                        }
                        continue;
                    }
                    if (r instanceof StopWatch || !Participants.isCommand(r)) {
                        continue;
                    }
                    SpecificRecord reply = Participants.success(r);
                    String topic = reply instanceof ValidationPassed ? Topics.VALIDATION_RESULTS
                            : reply instanceof HealthCheckPassed ? Topics.HEALTH_DECISIONS : Topics.EXECUTOR_RESULTS;
                    producer.send(new ProducerRecord<>(topic, id, reply));
                }
            }
        }

        private static SpecificRecord specific(GenericRecord g) {
            try {
                @SuppressWarnings("unchecked")
                Class<? extends SpecificRecord> type = (Class<? extends SpecificRecord>) Class.forName(g.getSchema().getFullName());
                return AvroKafka.toSpecific(g, type);
            } catch (ClassNotFoundException e) {
                throw new IllegalStateException(e);
            }
        }

        /** The responder thread notes each end as it reads it; polling here does not change the times measured. */
        Map<String, Long> awaitEnded(Set<String> ids, Duration timeout) {
            try {
                Waits.await("every saga of the round ending").atMost(timeout).pollInterval(Duration.ofMillis(5))
                        .until(() -> ended.keySet().containsAll(ids));
            } catch (ConditionTimeoutException e) {
                throw new AssertionError(ids.stream().filter(id -> !ended.containsKey(id)).count() + " of " + ids.size()
                        + " sagas did not end within " + timeout, e);
            }
            return ended;
        }

        List<String> failures(List<String> ids) {
            return ids.stream().filter(id -> !"DeploymentSucceeded".equals(outcome.get(id))).map(id -> id + " " + outcome.get(id))
                    .toList();
        }

        @Override
        public void close() {
            running = false;
            try {
                thread.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            producer.close();
            consumer.close();
        }
    }
}
