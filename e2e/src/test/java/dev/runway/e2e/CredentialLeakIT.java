package dev.runway.e2e;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.GroupState;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.GroupIdNotFoundException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.eclipse.jgit.api.Git;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpServer;

import dev.runway.testsupport.Backbone;
import dev.runway.testsupport.GitHttpServer;
import dev.runway.testsupport.Tokens;

/**
 * Issue 15's leak test: with a credential reference, the credential's secret appears nowhere. The five packaged
 * services run as processes on the shared stack with the variables {@code ./runway env <service>} gives them (own
 * ports, consumer groups and databases for this run, so nothing else on the stack sees or feeds them). A private
 * git server answers only a random token, which the validator and the executor know as the operator-configured
 * credential {@code e2e-git}; the notifier sends to a webhook receiver of this test. One dry run to staging (the
 * validator clones, the executor clones to plan the migrations, the notifier announces every event), then the
 * token is looked for in every API answer about it, every record of every {@code runway.*} topic and dead-letter
 * topic read raw from the beginning, every webhook body, every row of the five services' databases and every
 * service log. The git server's log proves the credential was used.
 */
class CredentialLeakIT {

    static final Path ROOT = Path.of(System.getProperty("runway.root", "..")).toAbsolutePath().normalize();
    static final ObjectMapper JSON = new ObjectMapper();
    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    static final String CREDENTIAL = "e2e-git";
    /** Five services in start order (the orchestrator last, as ./runway up does). */
    static final List<String> SERVICES = List.of("validator-service", "executor-service", "health-watcher-service",
            "notifier-service", "orchestrator-service");
    static final Pattern GROUP = Pattern.compile("^mp\\.messaging\\.incoming\\.(\"[^\"]+\"|[^.=]+)\\.group\\.id=(.+)$");
    static final Pattern FINAL = Pattern.compile("Deployment(Succeeded|Failed|RolledBack|Cancelled)");
    static final Pattern TOPIC = Pattern.compile("^mp\\.messaging\\.incoming\\.(\"[^\"]+\"|[^.=]+)\\.topic=(.+)$");

    static final String RUN = HexFormat.of().formatHex(new SecureRandom().generateSeed(4));
    /** The secret: random, so a hit anywhere can only come from this run. */
    static final String TOKEN = "rwtok-" + HexFormat.of().formatHex(new SecureRandom().generateSeed(16));
    /** The token as a bytea column (an outbox payload) shows it: {@code \\x72777...}. */
    static final String TOKEN_HEX = HexFormat.of().formatHex(TOKEN.getBytes(StandardCharsets.UTF_8));
    static final String TOKEN_BASIC = Base64.getEncoder().encodeToString(("x-access-token:" + TOKEN).getBytes(StandardCharsets.UTF_8));
    static final String PROJECT = "cred-leak-" + RUN;

    static boolean startedStack;
    static Backbone backbone;
    static Path work;
    static Git repo;
    static String commit;
    static GitHttpServer git;
    static HttpServer webhook;
    static final List<String> webhookBodies = new CopyOnWriteArrayList<>();
    static final Map<String, Service> services = new LinkedHashMap<>();
    static final Map<String, Set<String>> groups = new TreeMap<>();
    /** The services' own group ids: a member in one of them is another Runway on this Kafka. */
    static final Set<String> runwayGroups = new TreeSet<>();
    static final List<String> databases = new ArrayList<>();
    static String clientDatabase;
    static String deploymentId;
    static JsonNode deployment;

    record Service(String name, int port, String database, Path log, Process process) {
        String url(String path) {
            return "http://127.0.0.1:" + port + path;
        }
    }

    @BeforeAll
    static void deployWithACredentialReference() throws Exception {
        startedStack = ensureStack();
        backbone = Backbone.get();
        work = Files.createTempDirectory("runway-cred-leak-");
        webhook = webhookReceiver();
        commit = privateRepository();
        git = GitHttpServer.serve(work.resolve("repo"), TOKEN);
        try (Connection pg = postgres("postgres"); Statement s = pg.createStatement()) {
            clientDatabase = "cred_leak_client_" + RUN;
            s.execute("CREATE DATABASE " + clientDatabase);
            for (String service : SERVICES) {
                String db = "runway_e2e_" + service.replace("-service", "").replace('-', '_') + "_" + RUN;
                s.execute("CREATE DATABASE " + db);
                databases.add(db);
            }
        }
        for (int i = 0; i < SERVICES.size(); i++) {
            services.put(SERVICES.get(i), start(SERVICES.get(i), databases.get(i)));
        }
        for (Service service : services.values()) {
            awaitReady(service);
        }
        awaitConsumersAssigned();
        assertNoOtherRunway();

        HttpResponse<String> created = send(HttpRequest.newBuilder(URI.create(orchestrator("/deployments")))
                .header("Authorization", Tokens.bearer("dana", "deployer", "viewer"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(request()))).build());
        assertEquals(202, created.statusCode(), created.body());
        deploymentId = JSON.readTree(created.body()).get("id").asText();
        await("the dry run ends").atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500))
                .until(() -> Set.of("SUCCEEDED", "FAILED", "ROLLED_BACK", "CANCELLED", "NEEDS_ATTENTION")
                        .contains(get(orchestrator("/deployments/" + deploymentId)).path("state").asText()));
        deployment = get(orchestrator("/deployments/" + deploymentId));
        System.out.println("credential leak: deployment " + deployment.toPrettyString());
        // The notifier announces the end too (DeploymentSucceeded, DeploymentFailed, ...).
        await("the webhook receives the final notice").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500))
                .until(() -> webhookBodies.stream().anyMatch(b -> b.contains(deploymentId) && FINAL.matcher(b).find()));
    }

    @AfterAll
    static void stopEverythingThisTestStarted() throws Exception {
        for (Service service : services.values()) {
            service.process().destroy();
        }
        for (Service service : services.values()) {
            if (!service.process().waitFor(20, TimeUnit.SECONDS)) {
                service.process().destroyForcibly().waitFor();
            }
        }
        if (git != null) {
            git.close();
        }
        if (webhook != null) {
            webhook.stop(0);
        }
        if (repo != null) {
            repo.close();
        }
        if (backbone != null && !groups.isEmpty()) {
            try (Admin admin = Admin.create(backbone.kafkaAdmin())) {
                admin.deleteConsumerGroups(groups.keySet()).all().get(30, TimeUnit.SECONDS);
            }
        }
        if (backbone != null) {
            try (Connection pg = postgres("postgres"); Statement s = pg.createStatement()) {
                List<String> drop = new ArrayList<>(databases);
                if (clientDatabase != null) {
                    drop.add(clientDatabase);
                }
                for (String db : drop) {
                    s.execute("DROP DATABASE IF EXISTS " + db + " WITH (FORCE)");
                }
            }
        }
        if (work != null) {
            try (Stream<Path> files = Files.walk(work)) {
                files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
        if (startedStack) {
            runway("stack", "down");
        }
    }

    @Test
    void theDeploymentUsedTheCredential() {
        assertEquals("SUCCEEDED", deployment.path("state").asText(), deployment.toPrettyString());
        assertTrue(deployment.path("dryRun").asBoolean(), "a dry run");
        List<GitHttpServer.Request> requests = git.requests();
        long refs = requests.stream().filter(r -> r.authorised() && r.path().equals("info/refs")).count();
        assertTrue(refs >= 2, "the validator and the executor each fetched the refs with the credential: " + requests);
        assertTrue(requests.stream().anyMatch(r -> r.authorised() && r.path().startsWith("objects/")),
                "objects were fetched with the credential: " + requests);
        assertTrue(requests.stream().filter(GitHttpServer.Request::authorised).allMatch(r -> "x-access-token".equals(r.user())));
        // The executor planned the migrations from its checkout of the private repository.
        assertTrue(deployment.toString().contains("20260201090000_add_orders_note"),
                "the executor read the migrations from its clone: " + deployment.path("steps").toPrettyString());
    }

    @Test
    void noApiAnswerCarriesTheToken() throws Exception {
        List<String> answers = new ArrayList<>();
        answers.add(deployment.toString());
        answers.add(get(orchestrator("/deployments?project=" + PROJECT)).toString());
        answers.add(get(orchestrator("/projects")).toString());
        answers.add(get(orchestrator("/projects/" + PROJECT + "/environments/staging")).toString());
        answers.add(get(orchestrator("/environments/staging")).toString());
        answers.add(get(services.get("notifier-service").url("/deliveries")).toString());
        answers.add(get(services.get("notifier-service").url("/deliveries/dead-letters")).toString());
        answers.add(get(services.get("health-watcher-service").url("/decisions")).toString());
        answers.add(get(services.get("health-watcher-service").url("/watches")).toString());
        List<String> commands = column("executor-service", "SELECT command_id FROM executor_command");
        assertFalse(commands.isEmpty(), "the executor recorded the dry run's commands");
        for (String command : commands) {
            answers.add(get(services.get("executor-service").url("/commands/" + command)).toString());
        }
        assertTrue(answers.get(5).contains(deploymentId), "the notifier's deliveries name the deployment: " + answers.get(5));
        for (String answer : answers) {
            assertFalse(leaks(answer), "an API answer carries the token: " + answer);
        }
    }

    @Test
    void noRecordOfAnyRunwayTopicCarriesTheToken() throws Exception {
        int records = 0;
        int ours = 0;
        int named = 0;
        try (Admin admin = Admin.create(backbone.kafkaAdmin())) {
            Set<String> topics = new TreeSet<>(admin.listTopics().names().get(30, TimeUnit.SECONDS));
            topics.removeIf(t -> !t.startsWith("runway."));
            assertTrue(topics.contains("runway.deployments") && topics.stream().anyMatch(t -> t.endsWith(".dlq")), topics.toString());
            Properties props = new Properties();
            props.putAll(backbone.kafkaAdmin());
            props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
            props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
            props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5000);
            try (KafkaConsumer<byte[], byte[]> raw = new KafkaConsumer<>(props)) {
                List<TopicPartition> partitions = new ArrayList<>();
                for (String topic : topics) {
                    raw.partitionsFor(topic).forEach(p -> partitions.add(new TopicPartition(topic, p.partition())));
                }
                raw.assign(partitions);
                raw.seekToBeginning(partitions);
                Map<TopicPartition, Long> end = raw.endOffsets(partitions);
                while (partitions.stream().anyMatch(p -> raw.position(p) < end.get(p))) {
                    for (ConsumerRecord<byte[], byte[]> r : raw.poll(Duration.ofSeconds(1))) {
                        records++;
                        String where = r.topic() + "-" + r.partition() + "@" + r.offset();
                        assertFalse(leaks(text(r.key())), where + " key");
                        String value = text(r.value());
                        assertFalse(leaks(value), where + " value carries the token");
                        for (Header h : r.headers()) {
                            assertFalse(leaks(text(h.value())), where + " header " + h.key());
                        }
                        if (value.contains(deploymentId) || text(r.key()).contains(deploymentId)) {
                            ours++;
                            named += value.contains(CREDENTIAL) ? 1 : 0;
                        }
                    }
                }
            }
        }
        System.out.printf("credential leak: %d records of every runway.* topic read raw, %d of this deployment%n", records, ours);
        assertTrue(ours >= 10, "the dry run's records were among those read: " + ours);
        assertTrue(named > 0, "the reference (its name) travels to the validator and the executor");
    }

    @Test
    void noWebhookBodyCarriesTheToken() {
        assertFalse(webhookBodies.isEmpty());
        for (String body : webhookBodies) {
            assertFalse(leaks(body), "a webhook body carries the token: " + body);
        }
    }

    @Test
    void noRowOfAnyServiceDatabaseCarriesTheToken() throws Exception {
        int rows = 0;
        for (Service service : services.values()) {
            try (Connection c = postgres(service.database()); Statement s = c.createStatement()) {
                List<String> tables = new ArrayList<>();
                try (ResultSet t = s.executeQuery("SELECT quote_ident(schemaname) || '.' || quote_ident(tablename) FROM pg_tables"
                        + " WHERE schemaname NOT IN ('pg_catalog', 'information_schema')")) {
                    while (t.next()) {
                        tables.add(t.getString(1));
                    }
                }
                for (String table : tables) {
                    try (ResultSet r = s.executeQuery("SELECT t::text FROM " + table + " t")) {
                        while (r.next()) {
                            rows++;
                            String row = r.getString(1);
                            assertFalse(leaks(row), service.name() + " " + table + " holds the token: " + row);
                        }
                    }
                }
            }
        }
        // The orchestrator's audit trail and outbox hold this deployment (so the search above looked at them).
        assertFalse(column("orchestrator-service", "SELECT t::text FROM outbox t").stream().noneMatch(r -> r.contains(deploymentId)),
                "outbox rows of the deployment");
        assertFalse(column("orchestrator-service", "SELECT t::text FROM audit_log t").stream().noneMatch(r -> r.contains(deploymentId)),
                "audit rows of the deployment");
        System.out.printf("credential leak: %d rows of the five services' databases read%n", rows);
    }

    @Test
    void noServiceLogCarriesTheToken() throws Exception {
        for (Service service : services.values()) {
            String log = Files.readString(service.log());
            assertFalse(leaks(log), service.name() + "'s log carries the token");
            assertTrue(log.contains("started in"), service.name() + "'s log is the service's: " + service.log());
        }
    }

    // ------------------------------------------------------------------------------------------------ set-up

    /** The stack is shared: used when up; started (and stopped afterwards) only when it is not, e.g. after DemoEndToEndIT. */
    static boolean ensureStack() throws Exception {
        if (listening(9092) && listening(8090) && listening(5432) && listening(6379)) {
            return false;
        }
        runway("stack", "up");
        return true;
    }

    /** examples/acme-shop as a private repository of a project of this run, tagged v1.0.0, with a webhook of this test. */
    static String privateRepository() throws Exception {
        Path dir = work.resolve("repo");
        Path example = ROOT.resolve("examples/acme-shop");
        try (Stream<Path> files = Files.walk(example)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                Path target = dir.resolve(example.relativize(f).toString());
                if (Files.isDirectory(f)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(f, target, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
        Files.writeString(dir.resolve("deploy.manifest.yaml"), manifest());
        repo = Git.init().setDirectory(dir.toFile()).setInitialBranch("main").call();
        repo.add().addFilepattern(".").call();
        String id = repo.commit().setMessage(PROJECT + " 1.0.0").setAuthor("e2e", "e2e@runway.test")
                .setCommitter("e2e", "e2e@runway.test").setSign(false).call().name();
        repo.tag().setName("v1.0.0").call();
        return id;
    }

    /** acme-shop's manifest for this run's project, announcing to the test's webhook instead of Slack and e-mail. */
    static String manifest() throws IOException {
        String text = Files.readString(ROOT.resolve("examples/acme-shop/deploy.manifest.yaml"));
        String renamed = text.replace("name: \"acme-shop\"", "name: \"" + PROJECT + "\"");
        String notified = renamed.replaceFirst("(?m)^  notifications:\\n(    .*\\n|      .*\\n)+",
                "  notifications:\n    webhooks:\n      - \"" + webhookUrl("/manifest") + "\"\n");
        if (renamed.equals(text) || notified.equals(renamed)) {
            throw new IllegalStateException("examples/acme-shop/deploy.manifest.yaml changed shape: " + text);
        }
        return notified;
    }

    static HttpServer webhookReceiver() throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            try (exchange; InputStream in = exchange.getRequestBody()) {
                webhookBodies.add(exchange.getRequestURI() + " " + exchange.getRequestHeaders() + " "
                        + new String(in.readAllBytes(), StandardCharsets.UTF_8));
                exchange.sendResponseHeaders(204, -1);
            }
        });
        server.start();
        return server;
    }

    static String webhookUrl(String path) {
        return "http://127.0.0.1:" + webhook.getAddress().getPort() + path;
    }

    static ObjectNode request() throws IOException {
        ObjectNode body = JSON.createObjectNode();
        body.put("project", PROJECT);
        body.put("version", "1.0.0");
        body.put("environment", "staging");
        body.put("dryRun", true);
        body.put("manifest", Files.readString(work.resolve("repo/deploy.manifest.yaml")));
        body.put("ciEvidence", "https://ci.example.com/" + PROJECT + "/runs/1");
        ObjectNode repository = body.putObject("repository");
        repository.put("url", git.url());
        repository.put("commit", commit);
        repository.put("ref", "v1.0.0");
        repository.put("credential", CREDENTIAL);
        return body;
    }

    /** A packaged service as ./runway up starts it, with this run's port, database, consumer groups and settings. */
    static Service start(String name, String database) throws Exception {
        int port = freePort();
        Map<String, String> env = runwayEnv(name);
        env.put("QUARKUS_HTTP_PORT", Integer.toString(port));
        env.put("DB_URL", "postgresql://" + backbone.pgHost() + ":" + backbone.pgPort() + "/" + database);
        env.put("DB_JDBC_URL", backbone.jdbcPgUrl(database));
        // Tokens of this test are signed with the development key, which the prod profile takes only when told so.
        env.put("JWT_PUBLIC_KEY_LOCATION", ROOT.resolve("dev-keys/publicKey.pem").toString());
        env.put("RUNWAY_SECURITY_ALLOW_DEVELOPMENT_KEY", "true");
        env.put("RUNWAY_EXECUTOR_STATE_DIR", work.resolve("executor").toString());
        Map<String, String> properties = new TreeMap<>(consumerGroups(name));
        properties.put("quarkus.log.category.\"dev.runway\".level", "DEBUG");
        switch (name) {
            case "validator-service" -> {
                // The operator's credential: the only place the token is configured.
                env.put(credentialVariable(), TOKEN);
                properties.put("runway.validator.repositories.allow-schemes", "http");
                properties.put("runway.validator.repositories.allow-hosts", "127.0.0.1");
            }
            case "executor-service" -> {
                env.put(credentialVariable(), TOKEN);
                String db = "RUNWAY_DB_" + PROJECT.toUpperCase(Locale.ROOT).replace('-', '_') + "_STAGING_";
                env.put(db + "URL", backbone.jdbcPgUrl(clientDatabase));
                env.put(db + "USERNAME", backbone.pgUser());
                env.put(db + "PASSWORD", backbone.pgPassword());
            }
            case "notifier-service" -> {
                properties.put("runway.notifier.outbound.allow", "127.0.0.1:" + webhook.getAddress().getPort());
                properties.put("runway.notifier.manifest-webhooks.secret", "e2e-signing-key-" + RUN);
                properties.put("runway.notifier.projects." + PROJECT + ".environments.staging.events", "*");
                properties.put("runway.notifier.projects." + PROJECT + ".environments.staging.webhooks", "e2e");
                properties.put("runway.notifier.webhooks.e2e.url", webhookUrl("/configured"));
                properties.put("runway.notifier.webhooks.e2e.secret", "e2e-webhook-key-" + RUN);
            }
            default -> {
            }
        }
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xms64m", "-Xmx256m", "-XX:TieredStopAtLevel=1"));
        properties.forEach((k, v) -> command.add("-D" + k + "=" + v));
        command.addAll(List.of("-jar", "target/quarkus-app/quarkus-run.jar"));
        Path dir = ROOT.resolve(name);
        if (!Files.isRegularFile(dir.resolve("target/quarkus-app/quarkus-run.jar"))) {
            throw new IllegalStateException(name + " is not packaged: run ./mvnw package -DskipTests (the reactor does before e2e)");
        }
        Path log = Files.createDirectories(Path.of("target", "credential-leak")).resolve(name + ".log").toAbsolutePath();
        ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile());
        builder.environment().putAll(env);
        return new Service(name, port, database, log, builder.start());
    }

    /** RUNWAY_REPO_CREDENTIAL_E2E_GIT_TOKEN: how an operator gives the validator and the executor a credential (DEPLOYMENT.md §5). */
    static String credentialVariable() {
        return "RUNWAY_REPO_CREDENTIAL_" + CREDENTIAL.toUpperCase(Locale.ROOT).replace('-', '_') + "_TOKEN";
    }

    /** What `./runway env <service>` prints (export NAME=value, value quoted by printf %q). */
    static Map<String, String> runwayEnv(String service) throws Exception {
        Map<String, String> env = new TreeMap<>();
        Matcher m = Pattern.compile("(?m)^export ([A-Z0-9_]+)=(.*)$").matcher(runway("env", service));
        while (m.find()) {
            env.put(m.group(1), m.group(2).replaceAll("\\\\(.)", "$1"));
        }
        if (!env.containsKey("KAFKA_PASSWORD")) {
            throw new IllegalStateException("./runway env " + service + " gave no Kafka credentials: " + env.keySet());
        }
        return env;
    }

    /**
     * Each incoming channel gets a consumer group of this run (the service's group id plus a suffix: the ACLs allow
     * the service's prefix), committed at the end of its topic before the service starts: the service reads only
     * what this run publishes, and no running Runway loses a record to it.
     */
    static Map<String, String> consumerGroups(String service) throws Exception {
        Map<String, String> channelGroup = new TreeMap<>();
        Map<String, String> channelTopic = new TreeMap<>();
        for (String line : Files.readAllLines(ROOT.resolve(service).resolve("src/main/resources/application.properties"))) {
            Matcher g = GROUP.matcher(line.strip());
            if (g.matches()) {
                channelGroup.put(g.group(1), g.group(2).strip());
            }
            Matcher t = TOPIC.matcher(line.strip());
            if (t.matches()) {
                channelTopic.put(t.group(1), t.group(2).strip());
            }
        }
        Map<String, String> properties = new TreeMap<>();
        try (Admin admin = Admin.create(backbone.kafkaAdmin())) {
            for (Map.Entry<String, String> e : channelGroup.entrySet()) {
                String channel = e.getKey();
                runwayGroups.add(e.getValue());
                String group = e.getValue() + "-e2e-" + RUN;
                String topic = channelTopic.getOrDefault(channel, channel.replace("\"", ""));
                properties.put("mp.messaging.incoming." + channel + ".group.id", group);
                groups.computeIfAbsent(group, k -> new TreeSet<>()).add(topic);
                Map<TopicPartition, OffsetSpec> latest = new LinkedHashMap<>();
                admin.describeTopics(List.of(topic)).allTopicNames().get(30, TimeUnit.SECONDS).get(topic).partitions()
                        .forEach(p -> latest.put(new TopicPartition(topic, p.partition()), OffsetSpec.latest()));
                Map<TopicPartition, OffsetAndMetadata> at = new LinkedHashMap<>();
                admin.listOffsets(latest).all().get(30, TimeUnit.SECONDS).forEach((p, o) -> at.put(p, new OffsetAndMetadata(o.offset())));
                admin.alterConsumerGroupOffsets(group, at).all().get(30, TimeUnit.SECONDS);
            }
        }
        if (channelGroup.isEmpty()) {
            throw new IllegalStateException(service + " declares no consumer group in its application.properties");
        }
        return properties;
    }

    static void awaitReady(Service service) {
        await(service.name() + " ready").atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500)).until(() -> {
            if (!service.process().isAlive()) {
                throw new IllegalStateException(service.name() + " exited: " + Files.readString(service.log()));
            }
            try {
                return HTTP.send(HttpRequest.newBuilder(URI.create(service.url("/q/health/ready"))).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
            } catch (IOException e) {
                return false;
            }
        });
    }

    /** Every group of this run has members with partitions: nothing published from here on is missed. */
    static void awaitConsumersAssigned() {
        try (Admin admin = Admin.create(backbone.kafkaAdmin())) {
            await("consumer groups assigned").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).until(() -> {
                Map<String, ConsumerGroupDescription> described = admin.describeConsumerGroups(groups.keySet()).all()
                        .get(30, TimeUnit.SECONDS);
                return described.values().stream().allMatch(d -> d.groupState() == GroupState.STABLE
                        && d.members().stream().anyMatch(m -> !m.assignment().topicPartitions().isEmpty()));
            });
        }
    }

    /**
     * Topics are shared: a Runway running elsewhere on this Kafka (./runway up or a demo of another checkout) reads
     * this run's requests in its own groups and answers them, without this run's credential. Refused with the reason
     * rather than failing later for it.
     */
    static void assertNoOtherRunway() throws Exception {
        try (Admin admin = Admin.create(backbone.kafkaAdmin())) {
            List<String> busy = new ArrayList<>();
            for (var described : admin.describeConsumerGroups(runwayGroups).describedGroups().entrySet()) {
                ConsumerGroupDescription d;
                try {
                    d = described.getValue().get(30, TimeUnit.SECONDS);
                } catch (ExecutionException e) {
                    if (e.getCause() instanceof GroupIdNotFoundException) {
                        continue; // never used on this Kafka (a fresh stack): nobody consumes in it
                    }
                    throw e;
                }
                if (!d.members().isEmpty()) {
                    busy.add(described.getKey() + " (" + d.members().size() + " member(s) on " + d.members().iterator().next().host() + ")");
                }
            }
            assertEquals(List.of(), busy, "another Runway consumes from this Kafka and would answer this test's requests"
                    + " without its credential: stop it (./runway down in the checkout that started it) and run again");
        }
    }

    // ------------------------------------------------------------------------------------------------ helpers

    static String orchestrator(String path) {
        return services.get("orchestrator-service").url(path);
    }

    static JsonNode get(String url) throws Exception {
        HttpResponse<String> response = send(HttpRequest.newBuilder(URI.create(url))
                .header("Authorization", Tokens.bearer("vic", "viewer")).GET().build());
        assertEquals(200, response.statusCode(), url + ": " + response.body());
        return JSON.readTree(response.body());
    }

    static HttpResponse<String> send(HttpRequest request) throws Exception {
        return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
    }

    static List<String> column(String service, String sql) throws Exception {
        List<String> values = new ArrayList<>();
        try (Connection c = postgres(services.get(service).database()); Statement s = c.createStatement();
                ResultSet r = s.executeQuery(sql)) {
            while (r.next()) {
                values.add(r.getString(1));
            }
        }
        return values;
    }

    static Connection postgres(String database) throws Exception {
        return DriverManager.getConnection(backbone.jdbcPgUrl(database), backbone.pgUser(), backbone.pgPassword());
    }

    static String runway(String... args) throws Exception {
        List<String> command = new ArrayList<>();
        command.add(ROOT.resolve("runway").toString());
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).directory(ROOT.toFile()).redirectErrorStream(true).start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(5, TimeUnit.MINUTES) || p.exitValue() != 0) {
            throw new IllegalStateException("./runway " + String.join(" ", args) + " failed: " + out);
        }
        return out;
    }

    /** The token as text, as hex (a bytea column) or inside an HTTP Basic header (user:token in base64). */
    static boolean leaks(String text) {
        return text != null && (text.contains(TOKEN) || text.contains(TOKEN_HEX) || text.contains(TOKEN_BASIC));
    }

    static String text(byte[] bytes) {
        return bytes == null ? "" : new String(bytes, StandardCharsets.ISO_8859_1);
    }

    static boolean listening(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 1_000);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
