package dev.runway.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;

import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.SaslConfigs;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.apicurio.registry.serde.avro.AvroKafkaDeserializer;

/**
 * The whole of Runway, as a new user meets it: {@code ./runway demo} starts the five packaged services on the
 * running stack and deploys examples/demo-shop four times under real traffic. This test runs the demo as a
 * process and then checks what it claims, from the outside only: the orchestrator's API, the public lifecycle
 * topic read by a plain Kafka consumer that gets its schemas from the registry (no Runway class on this module's
 * classpath), the load generator's log, the client database, the CLI's exit codes, and finally that
 * {@code ./runway down} leaves nothing running.
 */
class DemoEndToEndIT {

    static final Path ROOT = Path.of(System.getProperty("runway.root", "..")).toAbsolutePath().normalize();
    static final String KAFKA = "127.0.0.1:9092";
    static final String REGISTRY = "http://127.0.0.1:8090/apis/registry/v3";
    static final String API = "http://127.0.0.1:8080";
    static final ObjectMapper JSON = new ObjectMapper();
    static final HttpClient HTTP = HttpClient.newHttpClient();

    static KafkaConsumer<String, GenericRecord> subscriber;
    /** Lifecycle records per deployment id, in topic order (one deployment = one key = one partition). */
    static final Map<String, List<GenericRecord>> lifecycle = new LinkedHashMap<>();
    static String demoOutput;
    static int demoExit;
    static long demoSeconds;
    static String viewerToken;
    static Map<String, JsonNode> deployments;

    @BeforeAll
    static void runTheDemo() throws Exception {
        subscriber = outsideSubscriber();
        Path log = Files.createTempFile("runway-demo", ".log");
        long t0 = System.nanoTime();
        Process demo = new ProcessBuilder(ROOT.resolve("runway").toString(), "demo").directory(ROOT.toFile())
                .redirectErrorStream(true).redirectOutput(log.toFile())
                .start();
        demo.getOutputStream().close();
        boolean ended = demo.waitFor(12, TimeUnit.MINUTES);
        demoSeconds = (System.nanoTime() - t0) / 1_000_000_000L;
        if (!ended) {
            demo.destroyForcibly();
        }
        demoOutput = Files.readString(log);
        System.out.println(demoOutput);
        assertTrue(ended, "./runway demo did not end within 12 minutes");
        demoExit = demo.exitValue();
        // Signed with the key pair ./runway generated for the services it started (its state's jwt/), as a user's would be.
        viewerToken = run(ROOT.resolve("runway").toString(), "token", "e2e-viewer", "viewer").strip();
        drainLifecycle(Duration.ofSeconds(5));
        deployments = new LinkedHashMap<>();
        for (JsonNode item : get("/deployments?project=demo-shop&size=50").get("items")) {
            JsonNode full = get("/deployments/" + item.get("id").asText());
            deployments.put(full.get("environment").asText().toLowerCase() + " " + full.get("version").asText(), full);
        }
        System.out.printf("e2e: ./runway demo took %d s (exit %d); deployments %s%n", demoSeconds, demoExit, deployments.keySet());
    }

    @AfterAll
    static void everythingDown() throws Exception {
        if (subscriber != null) {
            subscriber.close();
        }
        run(ROOT.resolve("runway").toString(), "down");
        // ./runway down leaves nothing: services, host slots, nginx fronts, the load generator, the stack.
        List<Integer> left = new ArrayList<>();
        for (int port : new int[] { 8080, 8081, 8082, 8083, 8084, 8700, 8800, 8801, 8900, 8901, 9100, 9101, 9102, 9103, 9200, 9201,
                9202, 9203, 9400, 9401, 9092, 8090, 6379, 5432 }) {
            if (listening(port)) {
                left.add(port);
            }
        }
        assertEquals(List.of(), left, "ports still listening after ./runway down");
        try (var pids = Files.list(ROOT.resolve(".runway/pids"))) {
            List<String> alive = pids.filter(f -> f.toString().endsWith(".pid")).map(f -> f.getFileName().toString()).toList();
            assertEquals(List.of(), alive, "pid files left by ./runway down");
        }
    }

    @Test
    void theDemoEndsWithTheFourOutcomes() {
        assertEquals(0, demoExit, "./runway demo exit code");
        assertTrue(demoOutput.matches("(?s).*1\\. v1\\.0\\.0 → development\\s+SUCCEEDED.*"), "outcome 1");
        assertTrue(demoOutput.matches("(?s).*2\\. v1\\.1\\.0 → staging, canary\\s+SUCCEEDED.*"), "outcome 2");
        assertTrue(demoOutput.matches("(?s).*3\\. v1\\.2\\.0 → staging: breach, rollback\\s+ROLLED_BACK.*"), "outcome 3");
        assertTrue(demoOutput.matches("(?s).*4\\. v1\\.1\\.0 → production, two approvals\\s+SUCCEEDED.*"), "outcome 4");
        assertTrue(demoOutput.contains("http://127.0.0.1:8080/q/openapi") && demoOutput.contains("http://127.0.0.1:8083/"),
                "ends with the URLs to look at");
        assertFalse(demoOutput.contains("the CLI exited"), "every CLI call ended as the demo expected");
    }

    @Test
    void theApiShowsEachSagaStepByStep() {
        assertEquals("SUCCEEDED", state("development 1.0.0"));
        assertEquals("SUCCEEDED", state("staging 1.0.0"));

        JsonNode canary = deployments.get("staging 1.1.0");
        assertEquals("SUCCEEDED", canary.get("state").asText());
        List<String> canarySteps = forwardSteps(canary);
        assertTrue(canarySteps.containsAll(List.of("validate", "backup-database", "apply-migrations", "deploy-green",
                "shift-traffic-10", "shift-traffic-25", "shift-traffic-50", "shift-traffic-100")), canarySteps.toString());
        assertTrue(canarySteps.indexOf("shift-traffic-10") < canarySteps.indexOf("shift-traffic-25")
                && canarySteps.indexOf("shift-traffic-50") < canarySteps.indexOf("shift-traffic-100"), canarySteps.toString());
        assertTrue(detail(canary, "apply-migrations").contains("20261110090000_add_orders_status"), detail(canary, "apply-migrations"));

        JsonNode bad = deployments.get("staging 1.2.0");
        assertEquals("ROLLED_BACK", bad.get("state").asText());
        assertTrue(bad.get("reason").asText().contains("error_rate"), bad.get("reason").asText());
        List<String> compensations = new ArrayList<>();
        bad.get("steps").forEach(s -> {
            if ("COMPENSATION".equalsIgnoreCase(s.get("kind").asText())) {
                compensations.add(s.get("name").asText());
            }
        });
        assertTrue(compensations.size() >= 3, "traffic, green slot and database compensated: " + compensations);
        assertTrue(compensations.get(compensations.size() - 1).contains("migration") || compensations.get(compensations.size() - 1).contains("database"),
                "the database is compensated last (reverse order): " + compensations);
        assertTrue(events(bad).stream().anyMatch(e -> e.contains("ThresholdBreached") && e.contains("error_rate")),
                "the breach and its evidence are in the audit trail");

        JsonNode production = deployments.get("production 1.1.0");
        assertEquals("SUCCEEDED", production.get("state").asText());
        JsonNode approvals = production.get("approvals");
        assertEquals(2, approvals.get("required").asInt());
        List<String> approvers = StreamSupport.stream(approvals.get("given").spliterator(), false).map(JsonNode::asText).toList();
        assertEquals(2, approvers.stream().distinct().count(), "two distinct approvers: " + approvers);
        assertFalse(approvers.contains(production.get("requestedBy").asText()), "never the requester");
    }

    @Test
    void trafficEndsOnTheGoodReleaseAndTheDatabaseIsCompensated() throws Exception {
        List<String[]> staging = Files.readAllLines(ROOT.resolve(".runway/demo/traffic.log")).stream().map(l -> l.split(" "))
                .filter(f -> f.length == 4 && f[1].equals("staging")).toList();
        long badAnswers = staging.stream().filter(f -> f[3].equals("1.2.0")).count();
        assertTrue(badAnswers > 0, "v1.2.0 got real traffic before it was rolled back");
        long lastBad = staging.stream().filter(f -> f[3].equals("1.2.0")).mapToLong(f -> Long.parseLong(f[0])).max().orElseThrow();
        List<String[]> after = staging.stream().filter(f -> Long.parseLong(f[0]) > lastBad).toList();
        assertTrue(after.size() > 20, "traffic continued after the rollback: " + after.size());
        assertTrue(after.stream().allMatch(f -> f[3].equals("1.1.0") && f[2].equals("200")),
                "after the rollback every staging answer is a 200 from v1.1.0");
        Instant breach = Instant.parse(events(deployments.get("staging 1.2.0")).stream().filter(e -> e.contains("ThresholdBreached"))
                .findFirst().orElseThrow().split(" ")[0]);
        System.out.printf("e2e: v1.2.0 breach recorded at %s; last v1.2.0 answer %d ms later; %d answers from v1.2.0%n", breach,
                lastBad - breach.toEpochMilli(), badAnswers);

        try (Connection db = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:5432/runway_client_demo_shop_staging", "runway", "runway");
                ResultSet columns = db.createStatement().executeQuery(
                        "select column_name from information_schema.columns where table_name = 'orders' order by ordinal_position")) {
            List<String> names = new ArrayList<>();
            while (columns.next()) {
                names.add(columns.getString(1));
            }
            assertEquals(List.of("id", "item", "created_at", "status"), names, "1.1.0's status stays, 1.2.0's channel is undone");
        }
    }

    @Test
    void anOutsideSubscriberSeesEveryStepInOrder() {
        for (Map.Entry<String, JsonNode> d : deployments.entrySet()) {
            String id = d.getValue().get("id").asText();
            List<GenericRecord> records = lifecycle.getOrDefault(id, List.of());
            List<String> types = records.stream().map(r -> r.getSchema().getName()).toList();
            assertFalse(types.isEmpty(), d.getKey() + ": no lifecycle record");
            assertEquals("DeployRequested", types.get(0), d.getKey() + " " + types);
            String end = switch (d.getValue().get("state").asText()) {
                case "SUCCEEDED" -> "DeploymentSucceeded";
                case "ROLLED_BACK" -> "DeploymentRolledBack";
                default -> "?";
            };
            assertEquals(end, types.get(types.size() - 1), d.getKey() + " " + types);
            // Every step the API shows as done was announced, in the same order.
            List<String> announced = records.stream().filter(r -> r.getSchema().getName().equals("StepCompleted"))
                    .map(r -> r.get("step").toString()).toList();
            List<String> done = new ArrayList<>();
            d.getValue().get("steps").forEach(s -> {
                if ("COMPLETED".equals(s.get("status").asText()) && announced.contains(s.get("name").asText())) {
                    done.add(s.get("name").asText());
                }
            });
            assertTrue(done.contains("deploy-green"), d.getKey() + ": the API's completed steps " + d.getValue().get("steps"));
            assertEquals(done, announced.stream().filter(done::contains).toList(), d.getKey() + ": step order");
            assertTrue(announced.containsAll(List.of("deploy-green")), d.getKey() + " " + announced);
            assertTrue(records.stream().allMatch(r -> id.equals(((GenericRecord) r.get("header")).get("deploymentId").toString())),
                    "each record carries its deployment in the header");
        }
        List<String> production = lifecycle.get(deployments.get("production 1.1.0").get("id").asText()).stream()
                .map(r -> r.getSchema().getName()).toList();
        assertTrue(production.indexOf("ApprovalRequested") < production.indexOf("ApprovalGranted")
                && production.lastIndexOf("ApprovalGranted") < production.indexOf("DeploymentStarted"), production.toString());
    }

    @Test
    void twoClientsRunSideBySideAndNeitherSeesTheOther() throws Exception {
        // Both projects are live in development and staging, each on its own front, on the board.
        JsonNode board = get("/projects");
        Map<String, String> clientOf = new LinkedHashMap<>();
        board.get("clients").forEach(c -> c.get("projects").forEach(p -> clientOf.put(p.get("project").asText(), c.get("client").asText())));
        assertEquals("runway-demo", clientOf.get("demo-shop"), board.toString());
        assertEquals("nova-media", clientOf.get("nova-blog"), board.toString());
        Map<String, String> fronts = new LinkedHashMap<>();
        for (String project : List.of("demo-shop", "nova-blog")) {
            for (String env : List.of("development", "staging")) {
                JsonNode view = get("/projects/" + project + "/environments/" + env);
                JsonNode web = view.get("live").get(0);
                assertEquals("web", web.get("component").asText(), view.toString());
                fronts.put(project + " " + env, web.get("front").asText());
            }
        }
        assertEquals(4, fronts.values().stream().distinct().count(), "every project environment has its own front: " + fronts);
        for (Map.Entry<String, String> front : fronts.entrySet()) {
            HttpResponse<String> answer = HTTP.send(HttpRequest.newBuilder(URI.create(front.getValue() + "/")).build(),
                    HttpResponse.BodyHandlers.ofString());
            String project = front.getKey().split(" ")[0];
            assertTrue(answer.body().contains("\"app\":\"" + project + "\""), front + " answered " + answer.body());
        }

        // The two clients' development deployments ran at the same time: nova-blog was requested while
        // demo-shop's saga was still running, and neither waited for the other's lock.
        JsonNode shop = deployments.get("development 1.0.0");
        JsonNode blog = null;
        for (JsonNode item : get("/deployments?project=nova-blog&size=50").get("items")) {
            if (item.get("environment").asText().equalsIgnoreCase("development")) {
                blog = get("/deployments/" + item.get("id").asText());
            }
        }
        assertTrue(blog != null && "SUCCEEDED".equals(blog.get("state").asText()), "nova-blog development: " + blog);
        Instant shopStart = Instant.parse(shop.get("createdAt").asText());
        Instant shopEnd = Instant.parse(shop.get("finishedAt").asText());
        Instant blogStart = Instant.parse(blog.get("createdAt").asText());
        Instant blogEnd = Instant.parse(blog.get("finishedAt").asText());
        assertTrue(shopStart.isBefore(blogEnd) && blogStart.isBefore(shopEnd),
                "the two development sagas overlap: demo-shop " + shopStart + "–" + shopEnd + ", nova-blog " + blogStart + "–" + blogEnd);
        assertEquals(1L, shop.get("fencingToken").asLong(), "each project environment has its own token sequence");
        assertEquals(1L, blog.get("fencingToken").asLong(), "each project environment has its own token sequence");

        // A reader of one client sees nothing of the other.
        String novaReader = run(ROOT.resolve("runway").toString(), "token", "nova-reader", "viewer", "nova-media/*").strip();
        HttpResponse<String> list = HTTP.send(HttpRequest.newBuilder(URI.create(API + "/deployments?size=100"))
                .header("Authorization", "Bearer " + novaReader).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, list.statusCode(), list.body());
        assertTrue(list.body().contains("nova-blog") && !list.body().contains("demo-shop"), list.body());
        HttpResponse<String> other = HTTP.send(HttpRequest.newBuilder(URI.create(API + "/deployments/" + shop.get("id").asText()))
                .header("Authorization", "Bearer " + novaReader).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(403, other.statusCode(), other.body());
        assertTrue(other.body().contains("demo-shop"), "the refusal names the project: " + other.body());

        // Each client's database holds its own migration only.
        assertEquals(List.of("posts"), tables("runway_client_nova_blog_staging"));
        assertFalse(tables("runway_client_demo_shop_staging").contains("posts"));
        assertTrue(demoOutput.contains("The board"), "the demo prints the board");
    }

    static List<String> tables(String database) throws Exception {
        try (Connection db = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:5432/" + database, "runway", "runway");
                ResultSet rows = db.createStatement().executeQuery(
                        "select table_name from information_schema.tables where table_schema = 'public'"
                                + " and table_name not like 'flyway%' and table_name not like '%schema_history%' order by 1")) {
            List<String> names = new ArrayList<>();
            while (rows.next()) {
                names.add(rows.getString(1));
            }
            return names;
        }
    }

    @Test
    void theCliAnswersWithUsableExitCodes() throws Exception {
        Map<String, String> env = Map.of("RUNWAY_URL", API, "RUNWAY_TOKEN", viewerToken);
        Process ok = cli(env, "status", deployments.get("production 1.1.0").get("id").asText(), "--output", "json");
        assertEquals(0, ok.exitValue());
        Process logs = cli(env, "logs", deployments.get("staging 1.2.0").get("id").asText());
        String timeline = new String(logs.getInputStream().readAllBytes());
        assertTrue(timeline.contains("ROLLED_BACK"), timeline);
        Process env404 = cli(env, "status", UUID.randomUUID().toString());
        assertEquals(5, env404.exitValue(), "an unknown deployment is a refused request");
        Process usage = cli(env, "deploy", "-e", "nowhere", "-v", "1.0.0");
        assertEquals(2, usage.exitValue(), "a bad environment is a usage error");
    }

    // ------------------------------------------------------------------ helpers

    static String state(String key) {
        return deployments.get(key).get("state").asText();
    }

    static List<String> forwardSteps(JsonNode d) {
        List<String> names = new ArrayList<>();
        d.get("steps").forEach(s -> {
            if (!"COMPENSATION".equalsIgnoreCase(s.get("kind").asText())) {
                names.add(s.get("name").asText());
            }
        });
        return names;
    }

    static String detail(JsonNode d, String step) {
        for (JsonNode s : d.get("steps")) {
            if (s.get("name").asText().equals(step)) {
                return s.path("detail").asText();
            }
        }
        return "";
    }

    static List<String> events(JsonNode d) {
        List<String> out = new ArrayList<>();
        d.get("events").forEach(e -> out.add(e.get("at").asText() + " " + e.path("action").asText() + " " + e.path("detail").asText()));
        return out;
    }

    static JsonNode get(String path) throws IOException, InterruptedException {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(API + path)).header("Authorization", "Bearer " + viewerToken)
                .build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), path + ": " + r.body());
        return JSON.readTree(r.body());
    }

    static Process cli(Map<String, String> env, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(ROOT.resolve("cli/bin/runway-cli").toString()));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).directory(ROOT.toFile()).redirectError(ProcessBuilder.Redirect.DISCARD);
        pb.environment().putAll(env);
        Process p = pb.start();
        byte[] out = p.getInputStream().readAllBytes();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "runway " + String.join(" ", args));
        return new ProcessWithOutput(p, out);
    }

    static String run(String... command) throws Exception {
        Process p = new ProcessBuilder(command).directory(ROOT.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(2, TimeUnit.MINUTES), String.join(" ", command));
        assertEquals(0, p.exitValue(), String.join(" ", command) + ": " + out);
        return out;
    }

    /**
     * A plain consumer that knows nothing of Runway: schemas come from the registry, records as GenericRecord.
     * It signs in as the documented read-only principal of outside subscribers, runway-subscriber, whose password
     * {@code ./runway test} passes; its groups are named runway-subscriber-*.
     */
    static KafkaConsumer<String, GenericRecord> outsideSubscriber() {
        String password = System.getenv("RUNWAY_KAFKA_PASSWORD_RUNWAY_SUBSCRIBER");
        assertNotNull(password, "RUNWAY_KAFKA_PASSWORD_RUNWAY_SUBSCRIBER is not set: run through ./runway test");
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA);
        p.put(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, "SASL_PLAINTEXT");
        p.put(SaslConfigs.SASL_MECHANISM, "SCRAM-SHA-512");
        p.put(SaslConfigs.SASL_JAAS_CONFIG, "org.apache.kafka.common.security.scram.ScramLoginModule required"
                + " username=\"runway-subscriber\" password=\"" + password + "\";");
        p.put(ConsumerConfig.GROUP_ID_CONFIG, "runway-subscriber-e2e-" + UUID.randomUUID());
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, AvroKafkaDeserializer.class.getName());
        p.put("apicurio.registry.url", REGISTRY);
        KafkaConsumer<String, GenericRecord> consumer = new KafkaConsumer<>(p);
        List<TopicPartition> partitions = consumer.partitionsFor("runway.deployments").stream()
                .map(i -> new TopicPartition(i.topic(), i.partition())).collect(Collectors.toList());
        consumer.assign(partitions);
        consumer.seekToEnd(partitions);
        partitions.forEach(consumer::position); // fix the start now, before the demo publishes
        return consumer;
    }

    static void drainLifecycle(Duration quiet) {
        long idleSince = System.nanoTime();
        while (System.nanoTime() - idleSince < quiet.toNanos()) {
            var batch = subscriber.poll(Duration.ofMillis(500));
            for (ConsumerRecord<String, GenericRecord> r : batch) {
                lifecycle.computeIfAbsent(r.key(), k -> new ArrayList<>()).add(r.value());
            }
            if (!batch.isEmpty()) {
                idleSince = System.nanoTime();
            }
        }
    }

    /** A finished process whose output was read before waiting (so a full pipe never blocks it). */
    static final class ProcessWithOutput extends Process {
        private final Process p;
        private final byte[] out;

        ProcessWithOutput(Process p, byte[] out) {
            this.p = p;
            this.out = out;
        }

        @Override
        public java.io.OutputStream getOutputStream() {
            return p.getOutputStream();
        }

        @Override
        public java.io.InputStream getInputStream() {
            return new java.io.ByteArrayInputStream(out);
        }

        @Override
        public java.io.InputStream getErrorStream() {
            return p.getErrorStream();
        }

        @Override
        public int waitFor() throws InterruptedException {
            return p.waitFor();
        }

        @Override
        public int exitValue() {
            return p.exitValue();
        }

        @Override
        public void destroy() {
            p.destroy();
        }
    }

    static boolean listening(int port) {
        try (Socket s = new Socket("127.0.0.1", port)) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
