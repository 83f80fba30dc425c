package dev.runway.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.Reader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;

/**
 * Keeps docker-compose.yml and k8s/base in step with what the services actually read: a port, probe
 * path or {@code ${ENV}} that drifts from application.properties fails here instead of in a cluster.
 * Reads the files in place, relative to the repository root (the parent of this module).
 */
class DeploymentDescriptorsTest {

    static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    static final Path COMPOSE_FILE = ROOT.resolve("docker-compose.yml");
    static final Path K8S_BASE = ROOT.resolve("k8s/base");
    static final Path POSTGRES_INIT = ROOT.resolve("deploy/compose/postgres-init.sql");

    static final List<String> SERVICES = List.of("orchestrator-service", "validator-service", "executor-service",
            "health-watcher-service", "notifier-service");

    static final String LIVE = "/q/health/live";
    static final String READY = "/q/health/ready";
    static final String CONFIG_MAP = "runway-config";
    static final String DB_SECRET = "runway-db";

    /** Compose one-shots: services must wait for them to finish, not to be healthy. */
    static final Set<String> COMPOSE_ONE_SHOTS = Set.of("kafka-topics", "registry-rules");

    // ${NAME} or ${NAME:default}; an upper-case NAME is an environment variable, anything else a property.
    static final Pattern EXPRESSION = Pattern.compile("\\$\\{([^}:]+)(:[^}]*)?}");
    static final Pattern ENV_NAME = Pattern.compile("[A-Z][A-Z0-9_]*");
    static final Pattern K8S_VAR_REF = Pattern.compile("\\$\\(([A-Za-z_][A-Za-z0-9_]*)\\)");
    static final Pattern HOST_PORT = Pattern.compile("^(?:[a-z][a-z0-9+.-]*://)?([A-Za-z0-9.-]+):(\\d+)(?:/.*)?$");
    static final Pattern CREATE_DATABASE = Pattern.compile("(?i)CREATE\\s+DATABASE\\s+([A-Za-z0-9_]+)");

    // Duplicate keys are legal-looking YAML that silently drops one value: refuse them.
    static final YAMLMapper YAML = YAMLMapper.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();

    static JsonNode compose;
    static List<Manifest> manifests;

    record Manifest(Path file, JsonNode node) {
        String kind() {
            return node.path("kind").asText();
        }

        String name() {
            return node.path("metadata").path("name").asText();
        }
    }

    @BeforeAll
    static void load() throws IOException {
        assertTrue(Files.isRegularFile(ROOT.resolve("pom.xml")) && Files.isDirectory(ROOT.resolve("ops")),
                "tests must run from the ops module directory so that .. is the repository root, got " + ROOT);
        List<JsonNode> composeDocs = readYaml(COMPOSE_FILE);
        assertEquals(1, composeDocs.size(), "docker-compose.yml must hold exactly one YAML document");
        compose = composeDocs.get(0);
        manifests = new ArrayList<>();
        for (Path file : k8sBaseFiles()) {
            if (!file.getFileName().toString().equals("kustomization.yaml")) {
                for (JsonNode doc : readYaml(file)) {
                    manifests.add(new Manifest(file, doc));
                }
            }
        }
    }

    static Stream<String> services() {
        return SERVICES.stream();
    }

    // ------------------------------------------------------------------------------------------ all files

    @Test
    void composeAndEveryK8sBaseManifestParse() throws IOException {
        assertTrue(compose.path("services").isObject(), "docker-compose.yml has no services mapping");
        List<Path> files = k8sBaseFiles();
        assertTrue(files.stream().anyMatch(f -> f.getFileName().toString().equals("kustomization.yaml")),
                "k8s/base has no kustomization.yaml");
        for (Path file : files) {
            List<JsonNode> docs = readYaml(file);
            assertFalse(docs.isEmpty(), file + " holds no YAML document");
            for (JsonNode doc : docs) {
                assertTrue(doc.isObject(), file + ": a document is not a mapping");
                assertFalse(doc.path("apiVersion").asText().isBlank(), file + ": document without apiVersion");
                assertFalse(doc.path("kind").asText().isBlank(), file + ": document without kind");
            }
        }
        for (Manifest m : manifests) {
            assertFalse(m.name().isBlank(), m.file() + ": " + m.kind() + " without metadata.name");
        }
    }

    @Test
    void kustomizationListsEveryManifestAndOnlyExistingOnes() throws IOException {
        JsonNode kustomization = readYaml(K8S_BASE.resolve("kustomization.yaml")).get(0);
        Set<Path> listed = new HashSet<>();
        for (JsonNode resource : kustomization.path("resources")) {
            Path file = K8S_BASE.resolve(resource.asText()).normalize();
            assertTrue(Files.exists(file), "kustomization.yaml lists " + resource.asText() + ", which does not exist");
            listed.add(file);
        }
        for (Path file : k8sBaseFiles()) {
            if (!file.getFileName().toString().equals("kustomization.yaml")) {
                assertTrue(listed.contains(file.normalize()),
                        file.getFileName() + " is in k8s/base but not in kustomization.yaml resources: it would never be applied");
            }
        }
    }

    @Test
    void everyServiceIsInComposeAndK8sBase() {
        Set<String> composeServices = fieldNames(compose.path("services"));
        Set<String> deployments = namesOfKind("Deployment");
        Set<String> k8sServices = namesOfKind("Service");
        for (String service : SERVICES) {
            assertTrue(Files.isRegularFile(propertiesFile(service)), "no " + propertiesFile(service));
            assertTrue(composeServices.contains(service), "docker-compose.yml has no service " + service);
            assertTrue(deployments.contains(service), "k8s/base has no Deployment " + service);
            assertTrue(k8sServices.contains(service), "k8s/base has no Service " + service);
        }
        assertEquals(new TreeSet<>(SERVICES), new TreeSet<>(deployments),
                "k8s/base Deployments are not exactly the five services");
    }

    @Test
    void configMapProvidesTheSharedAddresses() {
        JsonNode data = configMapData();
        for (String key : List.of("KAFKA_BOOTSTRAP_SERVERS", "REGISTRY_URL")) {
            assertFalse(data.path(key).asText().isBlank(), "ConfigMap " + CONFIG_MAP + " lacks " + key);
        }
        assertTrue(data.path("REGISTRY_URL").asText().endsWith("/apis/registry/v3"),
                "REGISTRY_URL must be the Apicurio v3 API base, got " + data.path("REGISTRY_URL").asText());
    }

    @Test
    void dbSecretIsReferencedButNotCommitted() throws IOException {
        // Decision recorded in k8s/base/kustomization.yaml: runway-db comes from an overlay or is created out of band.
        assertTrue(manifests.stream().noneMatch(m -> m.kind().equals("Secret")),
                "k8s/base must not hold a Secret: credentials do not belong in git");
        JsonNode kustomization = readYaml(K8S_BASE.resolve("kustomization.yaml")).get(0);
        assertTrue(kustomization.path("secretGenerator").isMissingNode(),
                "k8s/base must not generate Secrets; leave " + DB_SECRET + " to overlays (see kustomization.yaml)");
    }

    @Test
    void composeBackingServicesAndSupportFilesAreInPlace() throws IOException {
        JsonNode services = compose.path("services");
        Map<String, String> images = Map.of(
                "postgres", "postgres:16-alpine",
                "redis", "redis:7-alpine",
                "kafka", "apache/kafka:4.1.1",
                "registry", "apicurio/apicurio-registry:3.3.3");
        images.forEach((name, image) -> {
            assertEquals(image, services.path(name).path("image").asText(), "compose service " + name + " image");
            assertTrue(services.path(name).has("healthcheck"), "compose service " + name + " has no healthcheck");
        });
        for (String oneShot : COMPOSE_ONE_SHOTS) {
            assertTrue(services.has(oneShot), "compose lacks the one-shot " + oneShot);
        }
        // Every bind mount must point at a file in the repository: a typo would mount an empty directory.
        for (Map.Entry<String, JsonNode> service : fields(services)) {
            for (JsonNode volume : service.getValue().path("volumes")) {
                String source = volume.isTextual() ? volume.asText().split(":")[0] : volume.path("source").asText();
                if (source.startsWith(".") || source.startsWith("/")) {
                    assertTrue(Files.exists(ROOT.resolve(source).normalize()),
                            "compose service " + service.getKey() + " mounts missing " + source);
                }
            }
        }
        assertTrue(mountSources("kafka-topics").contains("./schemas/src/main/resources/runway/topics.txt"),
                "kafka-topics must read the topic map itself, not a copy");
        assertTrue(mountSources("postgres").contains("./deploy/compose/postgres-init.sql"),
                "postgres must run deploy/compose/postgres-init.sql");
        String registryDb = services.path("registry").path("environment").path("APICURIO_DATASOURCE_URL").asText();
        assertTrue(initSqlDatabases().contains(registryDb.substring(registryDb.lastIndexOf('/') + 1)),
                "the registry's database is not created by postgres-init.sql: " + registryDb);
    }

    // ------------------------------------------------------------------------------------------ per service

    @ParameterizedTest
    @MethodSource("services")
    void composeServiceMatchesItsApplicationProperties(String service) throws IOException {
        int port = httpPort(service);
        JsonNode services = compose.path("services");
        JsonNode svc = services.path(service);
        assertTrue(svc.isObject(), "docker-compose.yml has no service " + service);

        assertEquals("runway/" + service + ":latest", svc.path("image").asText(), service + ": compose image");

        // The image is built from the service folder with the Dockerfile this repository keeps for it.
        Path context = ROOT.resolve(svc.path("build").path("context").asText("<none>")).normalize();
        assertEquals(ROOT.resolve(service), context, service + ": compose build context");
        Path dockerfile = context.resolve(svc.path("build").path("dockerfile").asText("Dockerfile"));
        assertEquals(context.resolve("src/main/docker/Dockerfile.jvm"), dockerfile, service + ": compose dockerfile");
        assertTrue(Files.isRegularFile(dockerfile), service + ": missing " + dockerfile);
        String dockerfileText = Files.readString(dockerfile);
        assertTrue(Pattern.compile("(?m)^EXPOSE\\s+" + port + "\\s*$").matcher(dockerfileText).find(),
                dockerfile + " must EXPOSE " + port + " (quarkus.http.port)");
        assertTrue(dockerfileText.contains("target/quarkus-app/") && dockerfileText.contains("quarkus-run.jar"),
                dockerfile + " must run the fast-jar from target/quarkus-app");

        Set<Integer> containerPorts = new HashSet<>();
        for (JsonNode mapping : svc.path("ports")) {
            containerPorts.add(composeContainerPort(mapping));
        }
        assertTrue(containerPorts.contains(port),
                service + ": compose publishes container ports " + containerPorts + ", quarkus.http.port is " + port);

        Map<String, String> env = composeEnvironment(svc.path("environment"));
        if (env.containsKey("QUARKUS_HTTP_PORT")) {
            assertEquals(String.valueOf(port), env.get("QUARKUS_HTTP_PORT"), service + ": QUARKUS_HTTP_PORT overrides the port");
        }
        for (String name : requiredEnv(service)) {
            assertFalse(env.getOrDefault(name, "").isBlank(),
                    service + ": %prod properties read ${" + name + "} but compose does not set it");
        }
        assertEquals(kafkaPrincipal(service), env.get("KAFKA_USERNAME"), service + ": compose KAFKA_USERNAME (its own Kafka principal)");
        assertOwnDatabase(service, env.get("DB_URL"), "compose");
        assertTrue(initSqlDatabases().contains(ownDatabase(service)),
                service + ": postgres-init.sql does not create " + ownDatabase(service));

        String healthcheck = String.join(" ", textValues(svc.path("healthcheck").path("test")));
        assertTrue(healthcheck.contains(":" + port + READY),
                service + ": compose healthcheck must call " + READY + " on port " + port + ", is: " + healthcheck);

        // Each address the service is given must name a compose service it waits for.
        JsonNode dependsOn = svc.path("depends_on");
        assertTrue(dependsOn.isObject(), service + ": depends_on must use the long form with conditions");
        for (String name : requiredEnv(service)) {
            for (String host : hostsIn(env.get(name))) {
                assertTrue(services.has(host), service + ": " + name + " points at " + host + ", not a compose service");
                assertEquals("service_healthy", dependsOn.path(host).path("condition").asText(),
                        service + ": must wait for " + host + " (used by " + name + ") with condition service_healthy");
            }
        }
        for (Map.Entry<String, JsonNode> dependency : fields(dependsOn)) {
            String target = dependency.getKey();
            String condition = dependency.getValue().path("condition").asText();
            assertTrue(services.has(target), service + " depends on unknown compose service " + target);
            if (COMPOSE_ONE_SHOTS.contains(target)) {
                assertEquals("service_completed_successfully", condition, service + ": condition on one-shot " + target);
            } else {
                assertEquals("service_healthy", condition, service + ": condition on " + target);
                assertTrue(services.path(target).has("healthcheck"),
                        service + " waits for " + target + " to be healthy, but it has no healthcheck");
            }
        }
        for (String oneShot : COMPOSE_ONE_SHOTS) {
            assertTrue(dependsOn.has(oneShot), service + " must start after " + oneShot + " (topics and BACKWARD rule)");
        }
    }

    /** Issue 15: the token verification key is the operator's, from a secret; never the repository's dev-keys/. */
    @ParameterizedTest
    @MethodSource("services")
    void tokenVerificationKeyComesFromTheOperatorsSecret(String service) {
        JsonNode svc = compose.path("services").path(service);
        assertEquals("/run/secrets/jwt-public-key", composeEnvironment(svc.path("environment")).get("JWT_PUBLIC_KEY_LOCATION"),
                service + ": compose JWT_PUBLIC_KEY_LOCATION");
        assertTrue(textValues(svc.path("secrets")).contains("jwt-public-key"), service + ": compose must mount the secret jwt-public-key");
        assertTrue(compose.path("secrets").path("jwt-public-key").path("file").asText().startsWith("${RUNWAY_JWT_PUBLIC_KEY:?"),
                "compose's jwt-public-key must be the operator's file (RUNWAY_JWT_PUBLIC_KEY, required)");
        assertFalse(svc.toString().contains("dev-keys"), service + ": compose must not mount the development key");

        JsonNode podSpec = single("Deployment", service).path("spec").path("template").path("spec");
        JsonNode volume = podSpec.path("volumes").path(0);
        assertEquals("runway-jwt", volume.path("secret").path("secretName").asText(), service + ": k8s volume from Secret runway-jwt");
        JsonNode mount = podSpec.path("containers").path(0).path("volumeMounts").path(0);
        assertEquals(volume.path("name").asText(), mount.path("name").asText(), service + ": k8s mounts the key volume");
        assertEquals("/etc/runway/jwt", mount.path("mountPath").asText(), service + ": k8s key mount path");
    }

    @ParameterizedTest
    @MethodSource("services")
    void k8sDeploymentMatchesItsApplicationProperties(String service) {
        int port = httpPort(service);
        JsonNode deployment = single("Deployment", service);
        JsonNode podSpec = deployment.path("spec").path("template").path("spec");
        JsonNode podLabels = deployment.path("spec").path("template").path("metadata").path("labels");
        assertSubset(deployment.path("spec").path("selector").path("matchLabels"), podLabels,
                service + ": Deployment selector must match its pod labels");

        JsonNode containers = podSpec.path("containers");
        assertEquals(1, containers.size(), service + ": expected one container");
        JsonNode container = containers.get(0);
        assertEquals("runway/" + service + ":latest", container.path("image").asText(), service + ": image");

        Map<String, Integer> namedPorts = new LinkedHashMap<>();
        Set<Integer> containerPorts = new HashSet<>();
        for (JsonNode p : container.path("ports")) {
            containerPorts.add(p.path("containerPort").asInt());
            if (p.has("name")) {
                namedPorts.put(p.path("name").asText(), p.path("containerPort").asInt());
            }
        }
        assertTrue(containerPorts.contains(port),
                service + ": containerPort " + containerPorts + " differs from quarkus.http.port " + port);

        assertProbe(service, container.path("livenessProbe"), LIVE, port, namedPorts);
        assertProbe(service, container.path("readinessProbe"), READY, port, namedPorts);

        for (String kind : List.of("requests", "limits")) {
            for (String resource : List.of("cpu", "memory")) {
                assertFalse(container.path("resources").path(kind).path(resource).asText().isBlank(),
                        service + ": resources." + kind + "." + resource + " missing");
            }
        }

        // Env: every ${ENV} the prod profile reads is defined, from the right source, with $(refs) resolvable.
        JsonNode configData = configMapData();
        Map<String, String> resolved = new LinkedHashMap<>();
        Map<String, JsonNode> entries = new LinkedHashMap<>();
        for (JsonNode entry : container.path("env")) {
            String name = entry.path("name").asText();
            entries.put(name, entry);
            String value;
            if (entry.has("value")) {
                value = entry.path("value").asText();
                Matcher ref = K8S_VAR_REF.matcher(value);
                StringBuilder expanded = new StringBuilder();
                while (ref.find()) {
                    assertTrue(resolved.containsKey(ref.group(1)), service + ": env " + name + " uses $(" + ref.group(1)
                            + "), which is not defined before it (Kubernetes would pass it literally)");
                    ref.appendReplacement(expanded, Matcher.quoteReplacement(resolved.get(ref.group(1))));
                }
                ref.appendTail(expanded);
                value = expanded.toString();
            } else if (entry.path("valueFrom").has("configMapKeyRef")) {
                JsonNode ref = entry.path("valueFrom").path("configMapKeyRef");
                assertEquals(CONFIG_MAP, ref.path("name").asText(), service + ": env " + name + " ConfigMap");
                assertTrue(configData.has(ref.path("key").asText()),
                        service + ": env " + name + " reads key " + ref.path("key").asText() + ", absent from " + CONFIG_MAP);
                value = configData.path(ref.path("key").asText()).asText();
            } else if (entry.path("valueFrom").has("secretKeyRef")) {
                JsonNode ref = entry.path("valueFrom").path("secretKeyRef");
                // The database's Secret, Redis's (orchestrator), and the one Strimzi keeps for the service's KafkaUser.
                String expectedSecret = switch (name) {
                    case "KAFKA_PASSWORD" -> kafkaPrincipal(service);
                    case "REDIS_PASSWORD" -> "runway-redis";
                    default -> DB_SECRET;
                };
                assertEquals(expectedSecret, ref.path("name").asText(), service + ": env " + name + " Secret");
                assertFalse(ref.path("key").asText().isBlank(), service + ": env " + name + " secretKeyRef without key");
                value = "secret";
            } else {
                fail(service + ": env " + name + " has neither value nor a ConfigMap/Secret reference");
                return;
            }
            resolved.put(name, value);
        }
        for (String name : requiredEnv(service)) {
            assertTrue(entries.containsKey(name),
                    service + ": %prod properties read ${" + name + "} but the Deployment does not set it");
        }
        Set<String> required = requiredEnv(service);
        for (String name : List.of("KAFKA_BOOTSTRAP_SERVERS", "REGISTRY_URL")) {
            assertTrue(!required.contains(name) || entries.get(name).path("valueFrom").has("configMapKeyRef"),
                    service + ": " + name + " must come from ConfigMap " + CONFIG_MAP);
        }
        for (String name : List.of("DB_USERNAME", "DB_PASSWORD")) {
            assertTrue(!required.contains(name) || entries.get(name).path("valueFrom").has("secretKeyRef"),
                    service + ": " + name + " must come from Secret " + DB_SECRET + ", never a literal");
        }
        // Kafka: the service's own principal, its password from the Secret of that KafkaUser (k8s/backbone/kafka-users.yaml).
        assertTrue(required.containsAll(List.of("KAFKA_USERNAME", "KAFKA_PASSWORD")), service + ": %prod must authenticate to Kafka");
        assertEquals(kafkaPrincipal(service), resolved.get("KAFKA_USERNAME"), service + ": KAFKA_USERNAME");
        assertEquals("password", entries.get("KAFKA_PASSWORD").path("valueFrom").path("secretKeyRef").path("key").asText(),
                service + ": KAFKA_PASSWORD must be the KafkaUser Secret's password");
        assertOwnDatabase(service, resolved.get("DB_URL"), "k8s");

        JsonNode svc = single("Service", service);
        assertSubset(svc.path("spec").path("selector"), podLabels, service + ": Service selector must match the pods");
        Set<Integer> targets = new HashSet<>();
        for (JsonNode p : svc.path("spec").path("ports")) {
            JsonNode target = p.has("targetPort") ? p.path("targetPort") : p.path("port");
            targets.add(target.isInt() ? target.asInt() : namedPorts.getOrDefault(target.asText(), -1));
        }
        assertTrue(targets.contains(port), service + ": Service targets ports " + targets + ", not " + port);
    }

    // ------------------------------------------------------------------------------------------ kubectl

    @Test
    void kustomizeBuildRendersFiveDeployments() throws Exception {
        Optional<Path> kubectl = onPath("kubectl");
        // ./runway test installs Debian's kubernetes-client; a skipped check would pass unnoticed.
        assertTrue(kubectl.isPresent(),
                "kubectl is not on PATH: install Debian's kubernetes-client (./runway test does) to render k8s/base");

        Path out = Files.createTempFile("kustomize", ".yaml");
        Path err = Files.createTempFile("kustomize", ".err");
        try {
            Process process = new ProcessBuilder(kubectl.get().toString(), "kustomize", "k8s/base")
                    .directory(ROOT.toFile())
                    .redirectOutput(out.toFile())
                    .redirectError(err.toFile())
                    .start();
            if (!process.waitFor(120, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                fail("kubectl kustomize k8s/base did not finish in 120 s");
            }
            assertEquals(0, process.exitValue(), "kubectl kustomize k8s/base failed:\n" + Files.readString(err));
            List<String> deployments = readYaml(out).stream()
                    .filter(doc -> doc.path("kind").asText().equals("Deployment"))
                    .map(doc -> doc.path("metadata").path("name").asText())
                    .collect(Collectors.toList());
            assertEquals(5, deployments.size(), "rendered Deployments: " + deployments);
            assertEquals(new TreeSet<>(SERVICES), new TreeSet<>(deployments), "rendered Deployment names");
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    // ------------------------------------------------------------------------------------------ helpers

    static List<JsonNode> readYaml(Path file) throws IOException {
        assertTrue(Files.isRegularFile(file), "missing " + file);
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            List<JsonNode> docs = new ArrayList<>();
            for (JsonNode doc : YAML.readerFor(JsonNode.class).<JsonNode>readValues(reader).readAll()) {
                if (doc != null && !doc.isNull() && !doc.isMissingNode()) {
                    docs.add(doc);
                }
            }
            return docs;
        } catch (IOException e) {
            throw new AssertionError(file + " is not valid YAML: " + e.getMessage(), e);
        }
    }

    static List<Path> k8sBaseFiles() throws IOException {
        try (Stream<Path> files = Files.list(K8S_BASE)) {
            return files.filter(f -> f.toString().endsWith(".yaml") || f.toString().endsWith(".yml")).sorted()
                    .collect(Collectors.toList());
        }
    }

    static Path propertiesFile(String service) {
        return ROOT.resolve(service).resolve("src/main/resources/application.properties");
    }

    /** The configuration the prod profile sees: unprofiled keys, overridden by %prod (or %a,prod) keys. */
    static Map<String, String> prodConfig(String service) {
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(propertiesFile(service), StandardCharsets.UTF_8)) {
            properties.load(reader);
        } catch (IOException e) {
            throw new AssertionError("cannot read " + propertiesFile(service), e);
        }
        Map<String, String> config = new LinkedHashMap<>();
        Map<String, String> prod = new LinkedHashMap<>();
        for (String key : properties.stringPropertyNames()) {
            if (!key.startsWith("%")) {
                config.put(key, properties.getProperty(key));
            } else {
                int dot = key.indexOf('.');
                Set<String> profiles = Set.of(key.substring(1, dot).split(","));
                if (profiles.contains("prod")) {
                    prod.put(key.substring(dot + 1), properties.getProperty(key));
                }
            }
        }
        config.putAll(prod);
        return config;
    }

    static int httpPort(String service) {
        String port = prodConfig(service).get("quarkus.http.port");
        assertNotNull(port, service + ": application.properties sets no quarkus.http.port");
        return Integer.parseInt(port.trim());
    }

    /** Environment variables the prod configuration needs; one with a default (${X:d}) is optional. */
    /** The Kafka principal (KafkaUser) of a service: orchestrator-service -> orchestrator. */
    static String kafkaPrincipal(String service) {
        return service.replaceFirst("-service$", "");
    }

    static Set<String> requiredEnv(String service) {
        Set<String> names = new TreeSet<>();
        for (String value : prodConfig(service).values()) {
            Matcher m = EXPRESSION.matcher(value);
            while (m.find()) {
                if (ENV_NAME.matcher(m.group(1)).matches() && m.group(2) == null) {
                    names.add(m.group(1));
                }
            }
        }
        assertFalse(names.isEmpty(), service + ": found no ${ENV} in its %prod properties; the parser is wrong");
        return names;
    }

    /** The service's own database, as named by its %dev URL (the prod URL comes from DB_URL). */
    static String ownDatabase(String service) {
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(propertiesFile(service), StandardCharsets.UTF_8)) {
            properties.load(reader);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        String devUrl = properties.getProperty("%dev.quarkus.datasource.reactive.url");
        assertNotNull(devUrl, service + ": no %dev.quarkus.datasource.reactive.url to learn its database from");
        return devUrl.substring(devUrl.lastIndexOf('/') + 1);
    }

    static void assertOwnDatabase(String service, String dbUrl, String where) {
        assertNotNull(dbUrl, service + ": " + where + " sets no DB_URL");
        // The reactive client takes postgresql://host:port/db; a jdbc: URL would not connect.
        assertTrue(dbUrl.startsWith("postgresql://"), service + ": " + where + " DB_URL must be reactive form, is " + dbUrl);
        String path = URI.create(dbUrl).getPath();
        assertEquals("/" + ownDatabase(service), path, service + ": " + where + " DB_URL must name the service's own database");
    }

    static Set<String> initSqlDatabases() throws IOException {
        Set<String> names = new HashSet<>();
        Matcher m = CREATE_DATABASE.matcher(Files.readString(POSTGRES_INIT));
        while (m.find()) {
            names.add(m.group(1));
        }
        return names;
    }

    static void assertProbe(String service, JsonNode probe, String path, int port, Map<String, Integer> namedPorts) {
        JsonNode get = probe.path("httpGet");
        assertEquals(path, get.path("path").asText(), service + ": probe path");
        JsonNode probePort = get.path("port");
        int resolved = probePort.isInt() ? probePort.asInt() : namedPorts.getOrDefault(probePort.asText(), -1);
        assertEquals(port, resolved, service + ": probe " + path + " port " + probePort);
    }

    static JsonNode configMapData() {
        return single("ConfigMap", CONFIG_MAP).path("data");
    }

    static JsonNode single(String kind, String name) {
        List<JsonNode> found = manifests.stream().filter(m -> m.kind().equals(kind) && m.name().equals(name))
                .map(Manifest::node).collect(Collectors.toList());
        assertEquals(1, found.size(), "k8s/base must hold exactly one " + kind + " " + name);
        return found.get(0);
    }

    static Set<String> namesOfKind(String kind) {
        return manifests.stream().filter(m -> m.kind().equals(kind)).map(Manifest::name)
                .collect(Collectors.toCollection(TreeSet::new));
    }

    static void assertSubset(JsonNode subset, JsonNode of, String message) {
        assertTrue(subset.isObject() && subset.size() > 0, message + " (empty)");
        for (Map.Entry<String, JsonNode> e : fields(subset)) {
            assertEquals(e.getValue().asText(), of.path(e.getKey()).asText(null), message + " [" + e.getKey() + "]");
        }
    }

    static int composeContainerPort(JsonNode mapping) {
        if (mapping.isObject()) {
            return mapping.path("target").asInt();
        }
        String text = mapping.asText().replaceFirst("/(tcp|udp)$", "");
        return Integer.parseInt(text.substring(text.lastIndexOf(':') + 1));
    }

    static Map<String, String> composeEnvironment(JsonNode environment) {
        Map<String, String> env = new LinkedHashMap<>();
        if (environment.isArray()) {
            for (JsonNode item : environment) {
                String[] kv = item.asText().split("=", 2);
                env.put(kv[0], kv.length > 1 ? kv[1] : "");
            }
        } else {
            for (Map.Entry<String, JsonNode> e : fields(environment)) {
                env.put(e.getKey(), e.getValue().asText());
            }
        }
        return env;
    }

    /** Hosts named by host:port values and URLs (comma-separated lists allowed); empty for other values. */
    static Set<String> hostsIn(String value) {
        Set<String> hosts = new LinkedHashSet<>();
        for (String part : value.split(",")) {
            Matcher m = HOST_PORT.matcher(part.trim());
            if (m.matches()) {
                hosts.add(m.group(1));
            }
        }
        return hosts;
    }

    static List<String> mountSources(String composeService) {
        List<String> sources = new ArrayList<>();
        for (JsonNode volume : compose.path("services").path(composeService).path("volumes")) {
            sources.add(volume.isTextual() ? volume.asText().split(":")[0] : volume.path("source").asText());
        }
        return sources;
    }

    static List<String> textValues(JsonNode node) {
        if (node.isArray()) {
            List<String> values = new ArrayList<>();
            node.forEach(n -> values.add(n.asText()));
            return values;
        }
        return node.isMissingNode() ? List.of() : List.of(node.asText());
    }

    static List<Map.Entry<String, JsonNode>> fields(JsonNode node) {
        List<Map.Entry<String, JsonNode>> entries = new ArrayList<>();
        node.fields().forEachRemaining(entries::add);
        return entries;
    }

    static Set<String> fieldNames(JsonNode node) {
        return fields(node).stream().map(Map.Entry::getKey).collect(Collectors.toCollection(TreeSet::new));
    }

    static Optional<Path> onPath(String binary) {
        String path = System.getenv("PATH");
        if (path == null) {
            return Optional.empty();
        }
        return Arrays.stream(path.split(java.io.File.pathSeparator))
                .filter(dir -> !dir.isBlank())
                .map(dir -> Path.of(dir, binary))
                .filter(Files::isExecutable)
                .findFirst();
    }
}
