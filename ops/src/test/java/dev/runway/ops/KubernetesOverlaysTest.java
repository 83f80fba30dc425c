package dev.runway.ops;

import static dev.runway.ops.DeploymentDescriptorsTest.LIVE;
import static dev.runway.ops.DeploymentDescriptorsTest.READY;
import static dev.runway.ops.DeploymentDescriptorsTest.ROOT;
import static dev.runway.ops.DeploymentDescriptorsTest.SERVICES;
import static dev.runway.ops.DeploymentDescriptorsTest.fields;
import static dev.runway.ops.DeploymentDescriptorsTest.httpPort;
import static dev.runway.ops.DeploymentDescriptorsTest.initSqlDatabases;
import static dev.runway.ops.DeploymentDescriptorsTest.onPath;
import static dev.runway.ops.DeploymentDescriptorsTest.ownDatabase;
import static dev.runway.ops.DeploymentDescriptorsTest.readYaml;
import static dev.runway.ops.DeploymentDescriptorsTest.requiredEnv;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Renders each overlay with {@code kubectl kustomize} (as {@code kubectl apply -k} would) and checks what a
 * cluster would receive: the five services wired to the in-namespace backbone (Strimzi Kafka in KRaft with the
 * topic map's topics, PostgreSQL with every service's database, Redis, Apicurio Registry with its BACKWARD rule),
 * every {@code ${ENV}} of each service's prod profile provided, no credential in the output.
 */
class KubernetesOverlaysTest {

    static final Path TOPIC_MAP = ROOT.resolve("schemas/src/main/resources/runway/topics.txt");
    static final Path DASHBOARD = ROOT.resolve("k8s/monitoring/runway-dashboard.json");

    /**
     * Secrets the manifests may reference; they are created out of band (k8s/README.md), never rendered. Besides these,
     * a container may read the Secret Strimzi's user operator keeps for a rendered KafkaUser (same name).
     */
    static final Set<String> DOCUMENTED_SECRETS = Set.of("runway-db", "runway-postgres", "runway-redis");

    /** Topic map names -> KafkaUser (k8s/backbone/kafka-users.yaml); "people" read dead letters as runway-operator. */
    static final Map<String, String> KAFKA_PRINCIPALS = Map.of("orchestrator", "orchestrator", "validator", "validator",
            "executor", "executor", "health-watcher", "health-watcher", "notifier", "notifier",
            "outside subscribers", "runway-subscriber", "people", "runway-operator");

    /** Services of which exactly one instance may run (see k8s/base and the production overlay). */
    static final Set<String> SINGLE_INSTANCE = Set.of("orchestrator-service", "executor-service", "health-watcher-service");

    static final Set<String> CLUSTER_SCOPED = Set.of("ClusterRole", "ClusterRoleBinding", "Namespace");

    static final Pattern SECRET_NAME = Pattern.compile("(?i).*(PASSWORD|SECRET|TOKEN|CREDENTIAL|WEBHOOK_URL|PRIVATE_KEY).*");
    static final Pattern K8S_VAR_REF = Pattern.compile("\\$\\(([A-Za-z_][A-Za-z0-9_]*)\\)");

    static final Map<String, List<JsonNode>> RENDERED = new ConcurrentHashMap<>();

    record Topic(String name, int partitions) {
    }

    // ------------------------------------------------------------------------------------------ tests

    @ParameterizedTest
    @ValueSource(strings = {"staging", "production"})
    void everyObjectIsInTheOverlaysNamespace(String overlay) throws Exception {
        List<JsonNode> docs = render(overlay);
        String namespace = "runway-" + overlay;
        for (JsonNode doc : docs) {
            String kind = doc.path("kind").asText();
            if (CLUSTER_SCOPED.contains(kind)) {
                assertTrue(doc.path("metadata").path("namespace").isMissingNode(), kind + " is cluster-scoped");
            } else {
                assertEquals(namespace, doc.path("metadata").path("namespace").asText(),
                        overlay + ": " + kind + " " + name(doc) + " namespace");
            }
        }
        // Cluster-scoped objects of two installations must not overwrite each other.
        JsonNode binding = single(docs, "ClusterRoleBinding", null);
        assertTrue(name(binding).endsWith(overlay), overlay + ": ClusterRoleBinding name " + name(binding));
        JsonNode subject = binding.path("subjects").get(0);
        assertEquals(namespace, subject.path("namespace").asText(), overlay + ": binding subject namespace");
        String account = single(docs, "Deployment", "executor-service").path("spec").path("template").path("spec")
                .path("serviceAccountName").asText();
        assertEquals(account, subject.path("name").asText(), overlay + ": binding must name the executor's ServiceAccount");
        single(docs, "ServiceAccount", account);
    }

    @ParameterizedTest
    @ValueSource(strings = {"staging", "production"})
    void theExecutorWritesOnlyInNamespacesLabelledForRunway(String overlay) throws Exception {
        List<JsonNode> docs = render(overlay);
        List<JsonNode> cluster = render("k8s/cluster");
        JsonNode policy = single(cluster, "ValidatingAdmissionPolicy", null);
        JsonNode binding = single(cluster, "ValidatingAdmissionPolicyBinding", null);
        for (JsonNode doc : cluster) {
            assertTrue(doc.path("metadata").path("namespace").isMissingNode(), "k8s/cluster is cluster-scoped: " + name(doc));
        }
        assertEquals(name(policy), binding.path("spec").path("policyName").asText(), overlay + ": the binding enforces the policy");
        assertEquals("Deny", binding.path("spec").path("validationActions").get(0).asText());
        assertEquals("Fail", policy.path("spec").path("failurePolicy").asText(), "an unavailable check must not let writes through");

        // The policy applies to the executor's ServiceAccount of this installation...
        String account = "system:serviceaccount:runway-" + overlay + ":"
                + single(docs, "Deployment", "executor-service").path("spec").path("template").path("spec").path("serviceAccountName").asText();
        String condition = policy.path("spec").path("matchConditions").get(0).path("expression").asText();
        Matcher starts = Pattern.compile("startsWith\\('([^']*)'\\)").matcher(condition);
        Matcher ends = Pattern.compile("endsWith\\('([^']*)'\\)").matcher(condition);
        assertTrue(starts.find() && ends.find(), condition);
        assertTrue(account.startsWith(starts.group(1)) && account.endsWith(ends.group(1)), account + " vs " + condition);
        // ...on every resource the ClusterRole lets it write, and requires the label.
        Set<String> guarded = new HashSet<>();
        policy.path("spec").path("matchConstraints").path("resourceRules")
                .forEach(rule -> rule.path("resources").forEach(r -> guarded.add(r.asText())));
        single(docs, "ClusterRole", null).path("rules").forEach(rule -> {
            boolean writes = false;
            for (JsonNode verb : rule.path("verbs")) {
                writes |= Set.of("create", "update", "patch", "delete").contains(verb.asText());
            }
            if (writes) {
                rule.path("resources").forEach(r -> assertTrue(guarded.contains(r.asText()),
                        overlay + ": the executor may write " + r.asText() + " unguarded by the namespace label"));
            }
        });
        String validation = policy.path("spec").path("validations").get(0).path("expression").asText();
        assertTrue(validation.contains("namespaceObject") && validation.contains("'runway.dev/managed'"), validation);
    }

    @ParameterizedTest
    @ValueSource(strings = {"staging", "production"})
    void everyServiceHasADeploymentAndServiceMatchingItsProperties(String overlay) throws Exception {
        List<JsonNode> docs = render(overlay);
        for (String service : SERVICES) {
            int port = httpPort(service);
            JsonNode deployment = single(docs, "Deployment", service);
            JsonNode container = onlyContainer(deployment);
            String image = container.path("image").asText();
            assertTrue(image.endsWith("/" + service + ":" + image.substring(image.lastIndexOf(':') + 1)) && image.contains("/runway/"),
                    overlay + ": " + service + " image must be the overlay's registry copy, is " + image);
            assertFalse(image.endsWith(":latest"), overlay + ": " + service + " must run a fixed tag, is " + image);

            Map<String, Integer> ports = namedPorts(container);
            assertTrue(ports.containsValue(port), overlay + ": " + service + " containerPorts " + ports + " lack " + port);
            assertProbe(overlay, service, container.path("livenessProbe"), LIVE, port, ports);
            assertProbe(overlay, service, container.path("readinessProbe"), READY, port, ports);
            assertServiceReaches(docs, service, port, overlay);

            JsonNode resources = container.path("resources");
            for (String kind : List.of("requests", "limits")) {
                assertFalse(resources.path(kind).path("memory").asText().isBlank(), overlay + ": " + service + " " + kind + ".memory");
                assertFalse(resources.path(kind).path("cpu").asText().isBlank(), overlay + ": " + service + " " + kind + ".cpu");
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"staging", "production"})
    void everyProdEnvIsProvidedAndPointsAtTheBackbone(String overlay) throws Exception {
        List<JsonNode> docs = render(overlay);
        String kafkaBootstrap = name(single(docs, "Kafka", null)) + "-kafka-bootstrap";
        for (String service : SERVICES) {
            Map<String, String> env = resolveEnv(docs, single(docs, "Deployment", service), overlay + ": " + service);
            for (String name : requiredEnv(service)) {
                assertTrue(env.containsKey(name), overlay + ": " + service + " reads ${" + name + "} in %prod, the Deployment does not set it");
            }
            Set<String> required = requiredEnv(service);
            if (required.contains("KAFKA_BOOTSTRAP_SERVERS")) {
                for (String server : env.get("KAFKA_BOOTSTRAP_SERVERS").split(",")) {
                    assertEquals(kafkaBootstrap + ":9092", server.trim(),
                            overlay + ": " + service + " must reach Strimzi's bootstrap Service of the rendered Kafka");
                }
            }
            if (required.contains("REGISTRY_URL")) {
                URI registry = URI.create(env.get("REGISTRY_URL"));
                assertEquals("/apis/registry/v3", registry.getPath(), overlay + ": REGISTRY_URL must be the v3 API base");
                assertEquals("apicurio/apicurio-registry", imageName(onlyContainer(podsBehind(docs, registry.getHost(), registry.getPort(), overlay))),
                        overlay + ": " + service + " REGISTRY_URL must reach the Apicurio Registry pods");
            }
            if (required.contains("DB_URL")) {
                URI db = URI.create(env.get("DB_URL"));
                assertEquals("postgresql", db.getScheme(), overlay + ": " + service + " DB_URL must be reactive form");
                assertEquals("/" + ownDatabase(service), db.getPath(), overlay + ": " + service + " DB_URL database");
                assertEquals("postgres", imageName(onlyContainer(podsBehind(docs, db.getHost(), db.getPort(), overlay))),
                        overlay + ": " + service + " DB_URL must reach the PostgreSQL pod");
            }
            if (required.contains("DB_JDBC_URL")) {
                assertEquals("jdbc:" + env.get("DB_URL"), env.get("DB_JDBC_URL"), overlay + ": " + service + " DB_JDBC_URL");
            }
            if (required.contains("REDIS_URL")) {
                URI redis = URI.create(env.get("REDIS_URL"));
                assertEquals("redis", imageName(onlyContainer(podsBehind(docs, redis.getHost(), redis.getPort(), overlay))),
                        overlay + ": " + service + " REDIS_URL must reach the Redis pod");
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"staging", "production"})
    void strimziKafkaRunsInKraftWithEveryTopicOfTheTopicMap(String overlay) throws Exception {
        List<JsonNode> docs = render(overlay);
        JsonNode kafka = single(docs, "Kafka", null);
        assertEquals("kafka.strimzi.io/v1beta2", kafka.path("apiVersion").asText(), "Kafka apiVersion");
        JsonNode annotations = kafka.path("metadata").path("annotations");
        assertEquals("enabled", annotations.path("strimzi.io/kraft").asText(), overlay + ": Kafka must be KRaft");
        assertEquals("enabled", annotations.path("strimzi.io/node-pools").asText(), overlay + ": Kafka must use node pools");
        assertTrue(kafka.path("spec").path("zookeeper").isMissingNode(), overlay + ": no ZooKeeper in KRaft mode");
        assertTrue(kafka.path("spec").path("entityOperator").has("topicOperator"),
                overlay + ": without the topic operator the KafkaTopic resources create nothing");
        boolean plain9092 = false;
        for (JsonNode listener : kafka.path("spec").path("kafka").path("listeners")) {
            plain9092 |= listener.path("port").asInt() == 9092 && listener.path("type").asText().equals("internal");
        }
        assertTrue(plain9092, overlay + ": the services connect to an internal listener on 9092");
        JsonNode config = kafka.path("spec").path("kafka").path("config");
        assertFalse(config.path("auto.create.topics.enable").asBoolean(true),
                overlay + ": auto.create.topics.enable must be false (topics come from the topic map)");

        List<JsonNode> pools = ofKind(docs, "KafkaNodePool");
        assertFalse(pools.isEmpty(), overlay + ": no KafkaNodePool");
        int brokers = 0;
        Set<String> roles = new TreeSet<>();
        for (JsonNode pool : pools) {
            assertEquals(name(kafka), pool.path("metadata").path("labels").path("strimzi.io/cluster").asText(),
                    overlay + ": node pool " + name(pool) + " is not bound to Kafka " + name(kafka));
            pool.path("spec").path("roles").forEach(r -> roles.add(r.asText()));
            if (pool.path("spec").path("roles").toString().contains("broker")) {
                brokers += pool.path("spec").path("replicas").asInt();
            }
        }
        assertEquals(Set.of("broker", "controller"), roles, overlay + ": KRaft needs controller and broker roles");
        assertTrue(brokers >= 1, overlay + ": no broker");
        assertTrue(config.path("offsets.topic.replication.factor").asInt(1) <= brokers,
                overlay + ": offsets.topic.replication.factor above the number of brokers");
        assertTrue(config.path("min.insync.replicas").asInt(1) <= config.path("default.replication.factor").asInt(1),
                overlay + ": min.insync.replicas above default.replication.factor");

        Map<String, JsonNode> topics = new TreeMap<>();
        for (JsonNode topic : ofKind(docs, "KafkaTopic")) {
            String topicName = topic.path("spec").path("topicName").asText(name(topic));
            assertEquals(name(kafka), topic.path("metadata").path("labels").path("strimzi.io/cluster").asText(),
                    overlay + ": KafkaTopic " + topicName + " is not bound to Kafka " + name(kafka));
            assertTrue(topics.put(topicName, topic) == null, overlay + ": topic " + topicName + " twice");
        }
        List<Topic> map = topicMap();
        assertEquals(map.stream().map(Topic::name).collect(Collectors.toCollection(TreeSet::new)), topics.keySet(),
                overlay + ": KafkaTopics must be exactly the topics of " + TOPIC_MAP.getFileName());
        for (Topic expected : map) {
            JsonNode spec = topics.get(expected.name()).path("spec");
            assertEquals(expected.partitions(), spec.path("partitions").asInt(), overlay + ": partitions of " + expected.name());
            int replicas = spec.path("replicas").asInt();
            assertTrue(replicas >= 1 && replicas <= brokers,
                    overlay + ": " + expected.name() + " has " + replicas + " replicas on " + brokers + " brokers");
            int minIsr = spec.path("config").path("min.insync.replicas").asInt(1);
            assertTrue(minIsr <= replicas, overlay + ": " + expected.name() + " min.insync.replicas " + minIsr + " > replicas");
            if (overlay.equals("production")) {
                assertTrue(replicas >= 3 && minIsr >= 2,
                        "production: " + expected.name() + " must survive the loss of a broker (replicas 3, min.insync.replicas 2)");
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"staging", "production"})
    void kafkaAuthenticatesEveryClientAndGivesEachWhatTheTopicMapSays(String overlay) throws Exception {
        List<JsonNode> docs = render(overlay);
        JsonNode kafka = single(docs, "Kafka", null);
        for (JsonNode listener : kafka.path("spec").path("kafka").path("listeners")) {
            assertEquals("scram-sha-512", listener.path("authentication").path("type").asText(),
                    overlay + ": listener " + listener.path("name").asText() + " must authenticate with SCRAM-SHA-512");
        }
        assertEquals("simple", kafka.path("spec").path("kafka").path("authorization").path("type").asText(),
                overlay + ": Kafka must authorise with simple ACLs");
        assertTrue(kafka.path("spec").path("entityOperator").has("userOperator"),
                overlay + ": without the user operator the KafkaUser resources create no credentials or ACLs");

        // What the topic map gives each principal: Write where it produces, Read where it consumes.
        Map<String, Map<String, Set<String>>> expected = new TreeMap<>();
        new TreeSet<>(KAFKA_PRINCIPALS.values()).forEach(p -> expected.put(p, new TreeMap<>()));
        for (String line : Files.readAllLines(TOPIC_MAP, StandardCharsets.UTF_8)) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            String[] cols = line.split("\\|");
            for (int col = 2; col <= 3; col++) {
                for (String who : cols[col].split(",")) {
                    String principal = KAFKA_PRINCIPALS.get(who.trim());
                    if (principal != null) {
                        expected.get(principal).computeIfAbsent(cols[0].trim(), t -> new TreeSet<>()).add(col == 2 ? "Write" : "Read");
                    }
                }
            }
        }
        Map<String, Map<String, Set<String>>> actual = new TreeMap<>();
        for (JsonNode user : ofKind(docs, "KafkaUser")) {
            assertEquals(name(kafka), user.path("metadata").path("labels").path("strimzi.io/cluster").asText(),
                    overlay + ": KafkaUser " + name(user) + " is not bound to Kafka " + name(kafka));
            assertEquals("scram-sha-512", user.path("spec").path("authentication").path("type").asText(), overlay + ": " + name(user));
            assertEquals("simple", user.path("spec").path("authorization").path("type").asText(), overlay + ": " + name(user));
            Map<String, Set<String>> topics = new TreeMap<>();
            int groups = 0;
            for (JsonNode acl : user.path("spec").path("authorization").path("acls")) {
                JsonNode resource = acl.path("resource");
                Set<String> operations = new TreeSet<>();
                acl.path("operations").forEach(o -> operations.add(o.asText()));
                assertTrue(acl.path("type").asText("allow").equals("allow"), overlay + ": " + name(user) + " has a deny ACL");
                if (resource.path("type").asText().equals("topic")) {
                    assertEquals("literal", resource.path("patternType").asText("literal"), overlay + ": " + name(user) + " topic ACLs name topics");
                    topics.computeIfAbsent(resource.path("name").asText(), t -> new TreeSet<>()).addAll(operations);
                } else {
                    assertEquals("group", resource.path("type").asText(), overlay + ": " + name(user) + " ACL on " + resource);
                    assertEquals(Set.of("Read"), operations, overlay + ": " + name(user) + " group ACL");
                    groups++;
                }
            }
            assertEquals(1, groups, overlay + ": " + name(user) + " needs Read on its consumer groups (one prefix)");
            actual.put(name(user), topics);
        }
        assertEquals(expected, actual, overlay + ": KafkaUsers and their topic ACLs must be what " + TOPIC_MAP.getFileName() + " says");

        // Each service signs in as its own KafkaUser, with the password from that user's Secret.
        for (String service : SERVICES) {
            JsonNode container = onlyContainer(single(docs, "Deployment", service));
            String principal = service.replaceFirst("-service$", "");
            assertEquals(principal, envEntry(container, "KAFKA_USERNAME").path("value").asText(), overlay + ": " + service + " KAFKA_USERNAME");
            JsonNode password = envEntry(container, "KAFKA_PASSWORD").path("valueFrom").path("secretKeyRef");
            assertEquals(principal, password.path("name").asText(), overlay + ": " + service + " KAFKA_PASSWORD Secret");
            assertEquals("password", password.path("key").asText(), overlay + ": " + service + " KAFKA_PASSWORD key");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"staging", "production"})
    void redisAnswersOnlyTheOrchestratorsUser(String overlay) throws Exception {
        List<JsonNode> docs = render(overlay);
        JsonNode redis = onlyContainer(single(docs, "Deployment", "redis"));
        List<String> args = new ArrayList<>();
        redis.path("args").forEach(a -> args.add(a.asText()));
        String config = String.join(" ", args);
        assertTrue(config.contains("--user default off"), overlay + ": Redis must switch the default user off: " + config);
        assertTrue(config.contains("--user orchestrator on >$(REDIS_PASSWORD)"), overlay + ": Redis needs the orchestrator's user: " + config);
        assertEquals("runway-redis", envEntry(redis, "REDIS_PASSWORD").path("valueFrom").path("secretKeyRef").path("name").asText(),
                overlay + ": Redis takes the password from Secret runway-redis");
        Map<String, String> env = resolveEnv(docs, single(docs, "Deployment", "orchestrator-service"), overlay + ": orchestrator-service");
        URI url = URI.create(env.get("REDIS_URL"));
        assertEquals("orchestrator:secret-runway-redis-password", url.getUserInfo(),
                overlay + ": the orchestrator signs in to Redis as its user with the runway-redis password");
    }

    @ParameterizedTest
    @ValueSource(strings = {"staging", "production"})
    void postgresRedisAndApicurioArePresentAndWired(String overlay) throws Exception {
        List<JsonNode> docs = render(overlay);

        // PostgreSQL: a StatefulSet with its own volume, initialised with every service's database.
        JsonNode postgres = single(docs, "StatefulSet", "postgres");
        assertEquals("postgres", imageName(onlyContainer(postgres)), overlay + ": postgres image");
        assertFalse(postgres.path("spec").path("volumeClaimTemplates").isEmpty(), overlay + ": postgres without a PVC template");
        String governing = postgres.path("spec").path("serviceName").asText();
        single(docs, "Service", governing);
        JsonNode initVolume = null;
        for (JsonNode mount : onlyContainer(postgres).path("volumeMounts")) {
            if (mount.path("mountPath").asText().equals("/docker-entrypoint-initdb.d")) {
                for (JsonNode volume : postgres.path("spec").path("template").path("spec").path("volumes")) {
                    if (volume.path("name").asText().equals(mount.path("name").asText())) {
                        initVolume = volume;
                    }
                }
            }
        }
        assertNotNull(initVolume, overlay + ": postgres mounts no init script into /docker-entrypoint-initdb.d");
        JsonNode initMap = single(docs, "ConfigMap", initVolume.path("configMap").path("name").asText());
        String script = fields(initMap.path("data")).stream().map(e -> e.getValue().asText()).collect(Collectors.joining("\n"));
        Set<String> created = new TreeSet<>();
        Matcher m = Pattern.compile("(?i)CREATE\\s+DATABASE\\s+([A-Za-z0-9_]+)").matcher(script);
        while (m.find()) {
            created.add(m.group(1));
        }
        assertEquals(new TreeSet<>(initSqlDatabases()), created,
                overlay + ": the k8s init script must create the same databases as deploy/compose/postgres-init.sql");
        for (String service : SERVICES) {
            assertTrue(created.contains(ownDatabase(service)), overlay + ": no database for " + service);
        }
        Map<String, String> postgresEnv = resolveEnv(docs, postgres, overlay + ": postgres");
        assertTrue(postgresEnv.containsKey("POSTGRES_PASSWORD"), overlay + ": postgres needs POSTGRES_PASSWORD");
        for (String variable : List.of("RUNWAY_DB_USERNAME", "RUNWAY_DB_PASSWORD")) {
            assertTrue(script.contains(variable), overlay + ": the init script must take the role from " + variable);
            assertTrue(postgresEnv.containsKey(variable), overlay + ": postgres does not get " + variable);
        }

        // Redis.
        JsonNode redis = single(docs, "Deployment", "redis");
        assertEquals("redis", imageName(onlyContainer(redis)));

        // Apicurio Registry 3.x with SQL storage in runway_registry on that PostgreSQL.
        JsonNode registry = single(docs, "Deployment", "apicurio-registry");
        JsonNode registryContainer = onlyContainer(registry);
        assertTrue(registryContainer.path("image").asText().startsWith("apicurio/apicurio-registry:3."),
                overlay + ": registry image " + registryContainer.path("image").asText());
        Map<String, String> registryEnv = resolveEnv(docs, registry, overlay + ": apicurio-registry");
        assertEquals("sql", registryEnv.get("APICURIO_STORAGE_KIND"), overlay + ": registry storage");
        assertEquals("postgresql", registryEnv.get("APICURIO_STORAGE_SQL_KIND"), overlay + ": registry SQL kind");
        URI datasource = URI.create(registryEnv.get("APICURIO_DATASOURCE_URL").substring("jdbc:".length()));
        assertTrue(created.contains(datasource.getPath().substring(1)),
                overlay + ": the registry's database " + datasource.getPath() + " is not created by the init script");
        assertEquals("postgres", imageName(onlyContainer(podsBehind(docs, datasource.getHost(), datasource.getPort(), overlay))));
        for (String secretVar : List.of("APICURIO_DATASOURCE_USERNAME", "APICURIO_DATASOURCE_PASSWORD")) {
            assertTrue(envEntry(registryContainer, secretVar).path("valueFrom").has("secretKeyRef"),
                    overlay + ": " + secretVar + " must come from a Secret");
        }
        assertTrue(registryContainer.path("readinessProbe").has("httpGet"), overlay + ": registry readiness probe");

        // The global BACKWARD rule, set by a Job against the registry the services use.
        JsonNode job = single(docs, "Job", "registry-rules");
        JsonNode jobContainer = job.path("spec").path("template").path("spec").path("containers").get(0);
        StringBuilder jobScript = new StringBuilder();
        jobContainer.path("command").forEach(c -> jobScript.append(c.asText()).append('\n'));
        jobContainer.path("args").forEach(a -> jobScript.append(a.asText()).append('\n'));
        assertTrue(jobScript.toString().contains("{\"ruleType\":\"COMPATIBILITY\",\"config\":\"BACKWARD\"}"),
                overlay + ": registry-rules must set the COMPATIBILITY rule to BACKWARD");
        assertTrue(jobScript.toString().contains("$REGISTRY_URL/admin/rules"), overlay + ": registry-rules must call the admin rules API");
        Map<String, String> jobEnv = new LinkedHashMap<>();
        resolveContainerEnv(docs, jobContainer, jobEnv, overlay + ": registry-rules");
        Map<String, String> orchestratorEnv = resolveEnv(docs, single(docs, "Deployment", "orchestrator-service"), overlay);
        assertEquals(orchestratorEnv.get("REGISTRY_URL"), jobEnv.get("REGISTRY_URL"),
                overlay + ": the rule must be set on the registry the services use");
    }

    @ParameterizedTest
    @ValueSource(strings = {"staging", "production"})
    void noCredentialIsRendered(String overlay) throws Exception {
        List<JsonNode> docs = render(overlay);
        assertTrue(ofKind(docs, "Secret").isEmpty(), overlay + ": a Secret is rendered; credentials never live in git");
        for (JsonNode configMap : ofKind(docs, "ConfigMap")) {
            for (Map.Entry<String, JsonNode> entry : fields(configMap.path("data"))) {
                assertFalse(SECRET_NAME.matcher(entry.getKey()).matches(),
                        overlay + ": ConfigMap " + name(configMap) + " holds " + entry.getKey() + "; use a Secret");
            }
        }
        for (JsonNode doc : docs) {
            for (JsonNode container : containers(doc)) {
                for (JsonNode env : container.path("env")) {
                    String variable = env.path("name").asText();
                    if (SECRET_NAME.matcher(variable).matches()) {
                        JsonNode ref = env.path("valueFrom").path("secretKeyRef");
                        assertFalse(ref.isMissingNode(), overlay + ": " + name(doc) + " sets " + variable + " as a literal");
                        assertTrue(knownSecret(docs, ref.path("name").asText()),
                                overlay + ": " + name(doc) + " reads undocumented Secret " + ref.path("name").asText());
                    }
                    if (env.path("valueFrom").has("secretKeyRef")) {
                        assertTrue(knownSecret(docs, env.path("valueFrom").path("secretKeyRef").path("name").asText()),
                                overlay + ": " + name(doc) + " reads an undocumented Secret for " + variable);
                    }
                }
            }
        }
        String readme = Files.readString(ROOT.resolve("k8s/README.md"));
        for (String secret : DOCUMENTED_SECRETS) {
            assertTrue(readme.contains("create secret generic " + secret), "k8s/README.md must show how to create " + secret);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"staging", "production"})
    void singleInstanceServicesStaySingleAndProductionHasBudgets(String overlay) throws Exception {
        List<JsonNode> docs = render(overlay);
        for (String service : SINGLE_INSTANCE) {
            JsonNode spec = single(docs, "Deployment", service).path("spec");
            assertEquals(1, spec.path("replicas").asInt(), overlay + ": " + service + " must run exactly one replica");
            assertEquals("Recreate", spec.path("strategy").path("type").asText(),
                    overlay + ": " + service + " must use Recreate so that a rollout never runs two");
        }
        List<JsonNode> budgets = ofKind(docs, "PodDisruptionBudget");
        for (JsonNode budget : budgets) {
            JsonNode selector = budget.path("spec").path("selector").path("matchLabels");
            List<JsonNode> selected = new ArrayList<>();
            for (JsonNode workload : docs) {
                JsonNode labels = workload.path("spec").path("template").path("metadata").path("labels");
                if (labels.isObject() && fields(selector).stream().allMatch(e -> e.getValue().asText().equals(labels.path(e.getKey()).asText(null)))) {
                    selected.add(workload);
                }
            }
            assertEquals(1, selected.size(), overlay + ": PodDisruptionBudget " + name(budget) + " selects " + selected.size() + " workloads");
            int replicas = selected.get(0).path("spec").path("replicas").asInt(1);
            assertTrue(replicas > budget.path("spec").path("minAvailable").asInt(0),
                    overlay + ": PodDisruptionBudget " + name(budget) + " would block every eviction of " + name(selected.get(0)));
        }
        if (overlay.equals("production")) {
            for (String service : List.of("validator-service", "notifier-service", "apicurio-registry")) {
                assertTrue(single(docs, "Deployment", service).path("spec").path("replicas").asInt() >= 2,
                        "production: " + service + " should run at least two replicas");
                assertTrue(budgets.stream().anyMatch(b -> b.path("spec").path("selector").path("matchLabels")
                        .path("app.kubernetes.io/name").asText().equals(service)), "production: no PodDisruptionBudget for " + service);
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"staging", "production"})
    void grafanaDashboardShipsAsASidecarConfigMap(String overlay) throws Exception {
        List<JsonNode> docs = render(overlay);
        List<JsonNode> dashboards = ofKind(docs, "ConfigMap").stream()
                .filter(c -> c.path("metadata").path("labels").path("grafana_dashboard").asText().equals("1"))
                .collect(Collectors.toList());
        assertEquals(1, dashboards.size(), overlay + ": expected one ConfigMap labelled grafana_dashboard=1");
        ObjectMapper json = new ObjectMapper();
        JsonNode shipped = json.readTree(dashboards.get(0).path("data").path("runway-dashboard.json").asText());
        assertEquals(json.readTree(DASHBOARD.toFile()), shipped, overlay + ": the shipped dashboard differs from " + DASHBOARD);
    }

    // ------------------------------------------------------------------------------------------ rendering

    static List<JsonNode> render(String overlay) throws Exception {
        List<JsonNode> cached = RENDERED.get(overlay);
        if (cached != null) {
            return cached;
        }
        // ./runway test installs Debian's kubernetes-client; a silent skip would leave the overlays unchecked.
        Path kubectl = onPath("kubectl").orElseThrow(() -> new AssertionError(
                "kubectl is not on PATH: install Debian's kubernetes-client (./runway test does) to render k8s/overlays"));
        Path out = Files.createTempFile("kustomize-" + overlay.replace('/', '-'), ".yaml");
        Path err = Files.createTempFile("kustomize-" + overlay.replace('/', '-'), ".err");
        try {
            // An overlay's name, or a folder of k8s/ (k8s/cluster holds the cluster-wide objects).
            String path = overlay.startsWith("k8s/") ? overlay : "k8s/overlays/" + overlay;
            Process process = new ProcessBuilder(kubectl.toString(), "kustomize", path)
                    .directory(ROOT.toFile()).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            if (!process.waitFor(120, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                fail("kubectl kustomize " + path + " did not finish in 120 s");
            }
            assertEquals(0, process.exitValue(),
                    "kubectl kustomize " + path + " failed:\n" + Files.readString(err, StandardCharsets.UTF_8));
            List<JsonNode> docs = readYaml(out);
            assertFalse(docs.isEmpty(), path + " renders nothing");
            RENDERED.put(overlay, docs);
            return docs;
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    static List<Topic> topicMap() throws IOException {
        List<Topic> topics = new ArrayList<>();
        for (String line : Files.readAllLines(TOPIC_MAP)) {
            if (line.isBlank() || line.trim().startsWith("#")) {
                continue;
            }
            String[] cells = line.split("\\|");
            topics.add(new Topic(cells[0].trim(), Integer.parseInt(cells[1].trim())));
        }
        assertTrue(topics.size() >= 7, "the topic map parsed to " + topics);
        return topics;
    }

    // ------------------------------------------------------------------------------------------ helpers

    /** A Secret created out of band (k8s/README.md) or kept by Strimzi for a rendered KafkaUser. */
    static boolean knownSecret(List<JsonNode> docs, String secret) {
        return DOCUMENTED_SECRETS.contains(secret) || ofKind(docs, "KafkaUser").stream().anyMatch(u -> name(u).equals(secret));
    }

    static String name(JsonNode doc) {
        return doc.path("metadata").path("name").asText();
    }

    static List<JsonNode> ofKind(List<JsonNode> docs, String kind) {
        return docs.stream().filter(d -> d.path("kind").asText().equals(kind)).collect(Collectors.toList());
    }

    /** The one object of that kind (and name, when given). */
    static JsonNode single(List<JsonNode> docs, String kind, String name) {
        List<JsonNode> found = ofKind(docs, kind).stream().filter(d -> name == null || name(d).equals(name))
                .collect(Collectors.toList());
        assertEquals(1, found.size(), "expected exactly one " + kind + (name == null ? "" : " " + name) + ", found " + found.size());
        return found.get(0);
    }

    static List<JsonNode> containers(JsonNode workload) {
        List<JsonNode> list = new ArrayList<>();
        workload.path("spec").path("template").path("spec").path("containers").forEach(list::add);
        workload.path("spec").path("template").path("spec").path("initContainers").forEach(list::add);
        return list;
    }

    static JsonNode onlyContainer(JsonNode workload) {
        JsonNode containers = workload.path("spec").path("template").path("spec").path("containers");
        assertEquals(1, containers.size(), name(workload) + ": expected one container");
        return containers.get(0);
    }

    static String imageName(JsonNode container) {
        String image = container.path("image").asText();
        return image.contains(":") ? image.substring(0, image.lastIndexOf(':')) : image;
    }

    static Map<String, Integer> namedPorts(JsonNode container) {
        Map<String, Integer> ports = new LinkedHashMap<>();
        for (JsonNode p : container.path("ports")) {
            ports.put(p.path("name").asText(String.valueOf(p.path("containerPort").asInt())), p.path("containerPort").asInt());
        }
        return ports;
    }

    static JsonNode envEntry(JsonNode container, String name) {
        for (JsonNode env : container.path("env")) {
            if (env.path("name").asText().equals(name)) {
                return env;
            }
        }
        return com.fasterxml.jackson.databind.node.MissingNode.getInstance();
    }

    static void assertProbe(String overlay, String service, JsonNode probe, String path, int port, Map<String, Integer> ports) {
        JsonNode get = probe.path("httpGet");
        assertEquals(path, get.path("path").asText(), overlay + ": " + service + " probe path");
        JsonNode p = get.path("port");
        assertEquals(port, p.isInt() ? p.asInt() : ports.getOrDefault(p.asText(), -1), overlay + ": " + service + " probe " + path + " port");
    }

    /** The Service named {@code host} exists, serves {@code port}, and selects the pods of exactly one workload. */
    static JsonNode podsBehind(List<JsonNode> docs, String host, int port, String overlay) {
        JsonNode service = single(docs, "Service", host);
        JsonNode selector = service.path("spec").path("selector");
        assertTrue(selector.isObject() && selector.size() > 0, overlay + ": Service " + host + " has no selector");
        List<JsonNode> workloads = new ArrayList<>();
        for (JsonNode doc : docs) {
            JsonNode labels = doc.path("spec").path("template").path("metadata").path("labels");
            if (labels.isObject() && fields(selector).stream().allMatch(e -> e.getValue().asText().equals(labels.path(e.getKey()).asText(null)))) {
                workloads.add(doc);
            }
        }
        assertEquals(1, workloads.size(), overlay + ": Service " + host + " selects " + workloads.size() + " workloads");
        JsonNode workload = workloads.get(0);
        Map<String, Integer> ports = namedPorts(onlyContainer(workload));
        boolean served = false;
        for (JsonNode p : service.path("spec").path("ports")) {
            if (p.path("port").asInt() == port) {
                JsonNode target = p.has("targetPort") ? p.path("targetPort") : p.path("port");
                int targetPort = target.isInt() ? target.asInt() : ports.getOrDefault(target.asText(), -1);
                served = ports.containsValue(targetPort);
            }
        }
        assertTrue(served, overlay + ": Service " + host + " does not forward port " + port + " to a port of " + name(workload));
        return workload;
    }

    static void assertServiceReaches(List<JsonNode> docs, String service, int port, String overlay) {
        JsonNode workload = podsBehind(docs, service, port, overlay);
        assertEquals(service, name(workload), overlay + ": Service " + service + " selects " + name(workload));
    }

    /** Environment of the workload's single container, as the kubelet would see it ($(VAR) expanded). */
    static Map<String, String> resolveEnv(List<JsonNode> docs, JsonNode workload, String where) {
        Map<String, String> env = new LinkedHashMap<>();
        resolveContainerEnv(docs, onlyContainer(workload), env, where);
        return env;
    }

    static void resolveContainerEnv(List<JsonNode> docs, JsonNode container, Map<String, String> env, String where) {
        for (JsonNode entry : container.path("env")) {
            String variable = entry.path("name").asText();
            String value;
            if (entry.has("value")) {
                Matcher ref = K8S_VAR_REF.matcher(entry.path("value").asText());
                StringBuilder expanded = new StringBuilder();
                while (ref.find()) {
                    assertTrue(env.containsKey(ref.group(1)),
                            where + ": " + variable + " uses $(" + ref.group(1) + "), not defined before it");
                    ref.appendReplacement(expanded, Matcher.quoteReplacement(env.get(ref.group(1))));
                }
                ref.appendTail(expanded);
                value = expanded.toString();
            } else if (entry.path("valueFrom").has("configMapKeyRef")) {
                JsonNode ref = entry.path("valueFrom").path("configMapKeyRef");
                JsonNode data = single(docs, "ConfigMap", ref.path("name").asText()).path("data");
                assertTrue(data.has(ref.path("key").asText()),
                        where + ": " + variable + " reads " + ref.path("name").asText() + "/" + ref.path("key").asText() + ", which is not there");
                value = data.path(ref.path("key").asText()).asText();
            } else if (entry.path("valueFrom").has("secretKeyRef")) {
                JsonNode ref = entry.path("valueFrom").path("secretKeyRef");
                assertTrue(knownSecret(docs, ref.path("name").asText()),
                        where + ": " + variable + " reads undocumented Secret " + ref.path("name").asText());
                assertFalse(ref.path("key").asText().isBlank(), where + ": " + variable + " secretKeyRef without key");
                // A stand-in that keeps URLs built from it parseable (REDIS_URL carries the Redis password).
                value = "secret-" + ref.path("name").asText() + "-" + ref.path("key").asText();
            } else {
                fail(where + ": " + variable + " has neither a value nor a ConfigMap/Secret reference");
                return;
            }
            env.put(variable, value);
        }
    }
}
