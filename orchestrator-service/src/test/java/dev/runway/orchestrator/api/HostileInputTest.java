package dev.runway.orchestrator.api;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.junit.jupiter.api.Test;

import dev.runway.events.Topics;
import dev.runway.orchestrator.support.Manifests;
import dev.runway.orchestrator.support.Waits;
import dev.runway.testsupport.AvroKafka;
import dev.runway.testsupport.Backbone;
import dev.runway.testsupport.BackboneTestResource;
import dev.runway.testsupport.Tokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.http.Method;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;

/**
 * A hostile corpus (issue 15, "Trust boundary"): well over a hundred requests and manifests built here, each
 * refused with a 4xx application/problem+json that names the field or the reason. None gets a 5xx, none
 * starts anything (no deployment or project row, no outbox row, no record on the command and lifecycle
 * topics), and the secret in the credential URLs appears in no answer and no log record.
 */
@QuarkusTest
@QuarkusTestResource(value = BackboneTestResource.class, initArgs = {
        @ResourceArg(name = "database", value = "runway_orchestrator_test"),
        @ResourceArg(name = "jdbc", value = "true"),
        @ResourceArg(name = "redis", value = "true") })
class HostileInputTest {

    private static final String DEPLOYER = Tokens.bearer("dana", "deployer");
    private static final String APPROVER = Tokens.bearer("abe", "approver");
    private static final String SRE = Tokens.bearer("sam", "sre");
    private static final String PROBLEM = "application/problem+json";
    /** The secret of every credential URL below: it must come back in no answer and no log record. */
    private static final String SECRET = "s3cr3t" + UUID.randomUUID().toString().replace("-", "");
    private static final String COMMIT = "0123456789abcdef0123456789abcdef01234567";
    private static final String TWO_TO_THE_31 = "2147483648";

    /** One hostile request: what is sent, and the status and the field (or words of the reason) it must be refused with. */
    private record Attack(String name, Function<RequestSpecification, Response> send, int status, String field, String reason) {
    }

    private final List<Attack> corpus = new ArrayList<>();

    // ---- building the corpus ----------------------------------------------------------------------

    /** A project name per attack (a valid one), so a refusal that went wrong is easy to find. */
    private static String project(String attack) {
        String slug = attack.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("(^-|-$)", "");
        return ("hostile-" + slug.substring(0, Math.min(40, slug.length()))).replaceAll("-$", "");
    }

    private static Map<String, Object> valid(String project) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("project", project);
        body.put("version", "1.2.3");
        body.put("environment", "staging");
        body.put("manifest", Manifests.of(project, false, "strategy: canary"));
        return body;
    }

    /** A body with a repository reference and no manifest (the validator and executor would read the repository). */
    private static Map<String, Object> withRepository(String project, String url) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("project", project);
        body.put("version", "1.2.3");
        body.put("environment", "staging");
        body.put("components", List.of("web"));
        body.put("repository", Map.of("url", url, "commit", COMMIT, "ref", "main"));
        return body;
    }

    private void attack(String name, Method method, String path, String auth, Object body, int status, String field, String reason) {
        corpus.add(new Attack(name, spec -> {
            // Paths are sent as written: "%00" must reach the service as NUL, not as "%2500".
            RequestSpecification request = spec.urlEncodingEnabled(false);
            if (auth != null) {
                request = request.header("Authorization", auth);
            }
            if (body instanceof byte[] bytes) {
                request = request.contentType(ContentType.JSON).body(bytes);
            } else if (body != null) {
                request = request.contentType(ContentType.JSON).body(body);
            }
            return request.request(method, path);
        }, status, field, reason));
    }

    /** A POST /deployments body (a map, or raw JSON text) refused with 400 naming {@code field}. */
    private void body(String name, Object body, String field) {
        attack(name, Method.POST, "/deployments", DEPLOYER, body, 400, field, null);
    }

    /** A valid body whose one field is replaced by {@code value}. */
    private void field(String name, String key, Object value, String field) {
        Map<String, Object> body = valid(project(name));
        body.put(key, value);
        body(name, body, field);
    }

    /** A valid body with {@code manifest} as its manifest (text or a JSON object). */
    private void manifest(String name, Object manifest, String field, String reason) {
        Map<String, Object> body = valid(project(name));
        body.put("manifest", manifest);
        attack(name, Method.POST, "/deployments", DEPLOYER, body, 400, field, reason);
    }

    /** The project's valid manifest with {@code from} replaced by {@code to}. */
    private void manifestEdit(String name, String from, String to, String field) {
        String manifest = Manifests.of(project(name), false, "strategy: canary");
        assertTrue(manifest.contains(from), from);
        manifest(name, manifest.replace(from, to), field, null);
    }

    /** The project's valid manifest with {@code deployment} as the body of its deployment block. */
    private void manifestDeployment(String name, String deployment, String field) {
        manifest(name, Manifests.of(project(name), false, deployment), field, null);
    }

    private void credentialUrl(String name, String url) {
        attack(name, Method.POST, "/deployments", DEPLOYER, withRepository(project(name), url), 400, "repository.url",
                "credential reference");
    }

    private void buildCorpus() {
        String window = "window:\n  staging:\n    days: [mon, tue]\n    start: \"09:00\"\n    end: \"17:00\"\n";

        // Item 8: canary steps strictly ascending, ending at 100.
        String pause = "    pause_seconds: 0\n";
        manifestEdit("canary 100 then 5", pause, pause + "    steps: [100, 5]\n", "/manifest/deployment/canary/steps/1");
        manifestEdit("canary descending", pause, pause + "    steps: [50, 25, 100]\n", "/manifest/deployment/canary/steps/1");
        manifestEdit("canary without 100", pause, pause + "    steps: [5, 25, 50]\n", "/manifest/deployment/canary/steps");
        manifestEdit("canary repeated step", pause, pause + "    steps: [10, 10, 100]\n", "/manifest/deployment/canary/steps");
        manifestEdit("canary step 0", pause, pause + "    steps: [0, 100]\n", "/manifest/deployment/canary/steps/0");
        manifestEdit("canary step over 100", pause, pause + "    steps: [50, 100, 150]\n", "/manifest/deployment/canary/steps/2");
        manifestEdit("canary empty steps", pause, pause + "    steps: []\n", "/manifest/deployment/canary/steps");
        manifestEdit("canary fraction", pause, pause + "    steps: [12.5, 100]\n", "/manifest/deployment/canary/steps/0");
        manifestEdit("canary steps as text", pause, pause + "    steps: \"10,100\"\n", "/manifest/deployment/canary/steps");

        // Item 8: numbers past the schema's maxima (2^31 and more would wrap negative through asInt).
        manifestEdit("replicas 2 to the 31", "image: registry", "replicas: " + TWO_TO_THE_31 + "\n      image: registry",
                "/manifest/components/web/deploy/replicas");
        manifestEdit("replicas 2 to the 32", "image: registry", "replicas: 4294967296\n      image: registry",
                "/manifest/components/web/deploy/replicas");
        manifestEdit("replicas negative", "image: registry", "replicas: -1\n      image: registry", "/manifest/components/web/deploy/replicas");
        manifestEdit("replicas 1001", "image: registry", "replicas: 1001\n      image: registry", "/manifest/components/web/deploy/replicas");
        manifestEdit("replicas 64 digits", "image: registry", "replicas: " + "9".repeat(64) + "\n      image: registry",
                "/manifest/components/web/deploy/replicas");
        manifestEdit("port 2 to the 31", "port: 3000", "port: " + TWO_TO_THE_31, "/manifest/components/web/port");
        manifestEdit("port 0", "port: 3000", "port: 0", "/manifest/components/web/port");
        manifestEdit("port negative wrap", "port: 3000", "port: -4294901761", "/manifest/components/web/port");
        manifestEdit("port 65536", "port: 3000", "port: 65536", "/manifest/components/web/port");
        manifestEdit("port as text", "port: 3000", "port: \"3000\"", "/manifest/components/web/port");
        String monitoring = "monitoring_window_seconds: 1";
        manifestEdit("monitoring window 0", monitoring, "monitoring_window_seconds: 0", "/manifest/deployment/monitoring_window_seconds");
        manifestEdit("monitoring window 2 to the 31", monitoring, "monitoring_window_seconds: " + TWO_TO_THE_31,
                "/manifest/deployment/monitoring_window_seconds");
        manifestEdit("monitoring window negative", monitoring, "monitoring_window_seconds: -1",
                "/manifest/deployment/monitoring_window_seconds");
        manifestEdit("monitoring window over a day", monitoring, "monitoring_window_seconds: 86401",
                "/manifest/deployment/monitoring_window_seconds");
        manifestEdit("canary pause 2 to the 31", pause, "    pause_seconds: " + TWO_TO_THE_31 + "\n",
                "/manifest/deployment/canary/pause_seconds");
        manifestEdit("canary pause negative", pause, "    pause_seconds: -5\n", "/manifest/deployment/canary/pause_seconds");
        manifestDeployment("approvals 2 to the 31", "approvals:\n  staging: " + TWO_TO_THE_31, "/manifest/deployment/approvals/staging");
        manifestDeployment("approvals negative", "approvals:\n  staging: -1", "/manifest/deployment/approvals/staging");
        manifest("sustained 2 to the 31", Manifests.of(project("sustained 2 to the 31"), false, null)
                + "rollback:\n  threshold:\n    sustained_seconds: " + TWO_TO_THE_31 + "\n", "/manifest/rollback/threshold/sustained_seconds", null);
        manifest("sustained 0", Manifests.of(project("sustained 0"), false, null)
                + "rollback:\n  threshold:\n    sustained_seconds: 0\n", "/manifest/rollback/threshold/sustained_seconds", null);
        manifest("latency 1e300", Manifests.of(project("latency 1e300"), false, null)
                + "rollback:\n  threshold:\n    latency_p99: 1e300\n", "/manifest/rollback/threshold/latency_p99", null);
        manifest("latency infinite", Manifests.of(project("latency infinite"), false, null)
                + "rollback:\n  threshold:\n    latency_p99: .inf\n", "/manifest", "Malformed numeric value");
        manifest("error rate 101", Manifests.of(project("error rate 101"), false, null)
                + "rollback:\n  threshold:\n    error_rate: 101\n", "/manifest/rollback/threshold/error_rate", null);

        // Item 8: time zones.
        manifestDeployment("time zone on mars", window + "    timezone: Mars/Olympus_Mons", "/manifest/deployment/window/staging/timezone");
        manifestDeployment("time zone unknown city", window + "    timezone: Europe/Nowhere", "/manifest/deployment/window/staging/timezone");
        manifestDeployment("time zone offset 99", window + "    timezone: GMT+99", "/manifest/deployment/window/staging/timezone");
        manifestDeployment("time zone path", window + "    timezone: ../../etc/localtime", "/manifest/deployment/window/staging/timezone");
        manifestDeployment("time zone too long", window + "    timezone: Europe/" + "A".repeat(80),
                "/manifest/deployment/window/staging/timezone");
        manifestDeployment("window hour 25", window.replace("09:00", "25:00"), "/manifest/deployment/window/staging/start");
        manifestDeployment("window day funday", window.replace("[mon, tue]", "[funday]"), "/manifest/deployment/window/staging/days/0");

        // Item 6: credentials in repository URLs.
        credentialUrl("https user and token", "https://deployer:" + SECRET + "@git.example.com/acme/shop.git");
        credentialUrl("https token as user", "https://" + SECRET + "@github.com/acme/shop.git");
        credentialUrl("https token and empty password", "https://" + SECRET + ":@github.com/acme/shop.git");
        credentialUrl("http user and password", "http://admin:" + SECRET + "@10.0.0.5/shop.git");
        credentialUrl("ssh user and password", "ssh://git:" + SECRET + "@git.example.com/acme/shop.git");
        credentialUrl("git ssh user and password", "git+ssh://git:" + SECRET + "@git.example.com/acme/shop.git");
        credentialUrl("scp-like user and password", "git:" + SECRET + "@git.example.com:acme/shop.git");
        credentialUrl("percent-encoded password", "ssh://git%3A" + SECRET + "@git.example.com/acme/shop.git");
        credentialUrl("token in the query", "https://git.example.com/acme/shop.git?access_token=" + SECRET);
        credentialUrl("password in the query", "https://git.example.com/acme/shop.git?ref=main&password=" + SECRET);
        credentialUrl("ftp user and password", "ftp://user:" + SECRET + "@ftp.example.com/shop.git");
        credentialUrl("upper-case scheme", "HTTPS://deployer:" + SECRET + "@git.example.com/acme/shop.git");

        // Malformed JSON.
        // A syntax error names the field the parser stopped at.
        body("unclosed object", "{\"project\": ", "project");
        body("lone brace", "{", "body");
        body("array at the top", "[]", "body");
        body("string at the top", "\"deploy\"", "body");
        body("number at the top", "42", "body");
        body("null body", "null", "request");
        body("single quotes", "{'project': 'shop'}", "body");
        body("trailing comma", "{\"project\": \"shop\",}", "project");
        body("missing comma", "{\"project\": \"shop\" \"version\": \"1.2.3\"}", "project");
        body("trailing content", "{\"project\": \"shop\"} {\"project\": \"other\"}", "body");
        body("unquoted secret token", "{\"project\": " + SECRET + "}", "project");
        body("invalid utf-8", new byte[] { '{', '"', 'p', '"', ':', '"', (byte) 0xc3, (byte) 0x28, '"', '}' }, "p");
        body("nesting 5000 deep", "{\"manifest\": " + "[".repeat(5000) + "]".repeat(5000) + "}", "manifest");
        body("comment in JSON", "{/* hi */ \"project\": \"shop\"}", "body");

        // Wrong types.
        field("project as list", "project", List.of("shop"), "project");
        field("project as object", "project", Map.of("name", "shop"), "project");
        field("project as boolean", "project", true, "project");
        field("version as list", "version", List.of(1, 2, 3), "version");
        field("version as number", "version", 1.2, "version");
        field("environment as object", "environment", Map.of("name", "staging"), "environment");
        field("components as text", "components", "web", "components");
        field("components as object", "components", Map.of("web", true), "components");
        field("components with list inside", "components", List.of(List.of("web")), "components[0]");
        field("dry run maybe", "dryRun", "maybe", "dryRun");
        field("dry run as list", "dryRun", List.of(true), "dryRun");
        field("dry run as object", "dryRun", Map.of("yes", true), "dryRun");
        field("repository as text", "repository", "https://git.example.com/acme/shop.git", "repository");
        field("repository as list", "repository", List.of("x"), "repository");
        field("strategy as number", "strategy", 7, "strategy");
        field("ci evidence as object", "ciEvidence", Map.of("ok", true), "ciEvidence");
        Map<String, Object> commitAsNumber = withRepository(project("commit as number"), "https://git.example.com/acme/shop.git");
        commitAsNumber.put("repository", Map.of("url", "https://git.example.com/acme/shop.git", "commit", 12345));
        body("commit as number", commitAsNumber, "repository.commit");
        // Item 6: a credential reference is a name, never the credential (nor a path or an upper-case variable name).
        for (String credential : List.of("ghp_0123456789abcdefghijABCDEFGHIJ0123", "acme github", "../acme", "ACME_GITHUB", "-acme", "x".repeat(64))) {
            Map<String, Object> withCredential = withRepository(project("credential " + credential), "https://git.example.com/acme/shop.git");
            withCredential.put("repository", Map.of("url", "https://git.example.com/acme/shop.git", "commit", COMMIT,
                    "credential", credential));
            body("credential reference " + credential, withCredential, "repository.credential");
        }
        // Item 2: the migrations directory stays inside the repository.
        for (String path : List.of("../other-project/migrations", "database/../../etc", "/var/lib/migrations", "database\\\\migrations")) {
            manifest("migrations path " + path, Manifests.of(project("migrations path " + path), true, "strategy: canary")
                    .replace("path: database/migrations", "path: \"" + path + "\""), "/manifest/database/migrations/path", null);
        }

        // Missing and invalid values.
        body("empty object", Map.of(), "project");
        field("blank project", "project", " ", "project");
        field("version latest", "version", "latest", "version");
        field("version four parts", "version", "1.2.3.4", "version");
        field("strategy big bang", "strategy", "big-bang", "strategy");
        Map<String, Object> neither = valid(project("neither manifest nor repository"));
        neither.remove("manifest");
        body("neither manifest nor repository", neither, "manifest");
        Map<String, Object> noCommit = withRepository(project("repository without commit"), "https://git.example.com/acme/shop.git");
        noCommit.put("repository", Map.of("url", "https://git.example.com/acme/shop.git"));
        body("repository without commit", noCommit, "repository.commit");
        Map<String, Object> shortCommit = withRepository(project("commit not hex"), "https://git.example.com/acme/shop.git");
        shortCommit.put("repository", Map.of("url", "https://git.example.com/acme/shop.git", "commit", "zzzzzzzz"));
        body("commit not hex", shortCommit, "repository.commit");
        Map<String, Object> allComponents = withRepository(project("all components without manifest"), "https://git.example.com/acme/shop.git");
        allComponents.remove("components");
        body("all components without manifest", allComponents, "components");
        field("component not in manifest", "components", List.of("web", "mobile"), "components[1]");
        field("project other than the manifest's", "project", "other-shop", "project");

        // Unknown environments.
        field("environment mars", "environment", "mars", "environment");
        field("environment prod", "environment", "prod", "environment");
        field("environment upper case", "environment", "STAGING", "environment");
        field("environment with space", "environment", "staging ", "environment");
        field("environment path", "environment", "../staging", "environment");
        field("environment empty", "environment", "", "environment");

        // Path traversal and control characters in names and text.
        field("project path traversal", "project", "../../etc/passwd", "project");
        field("project dot dot", "project", "..", "project");
        field("project with slash", "project", "acme/shop", "project");
        field("project encoded traversal", "project", "%2e%2e%2fetc", "project");
        field("project with NUL", "project", "shop\u0000", "project");
        field("component path traversal", "components", List.of("../../etc"), "components[0]");
        field("component with slash", "components", List.of("web/../../x"), "components[0]");
        field("ci evidence with NUL", "ciEvidence", "green\u0000", "ciEvidence");
        field("scan report with escape", "scanReport", "ok\u001b[2J", "scanReport");
        Map<String, Object> refTraversal = withRepository(project("ref path traversal"), "https://git.example.com/acme/shop.git");
        refTraversal.put("repository", Map.of("url", "https://git.example.com/acme/shop.git", "commit", COMMIT, "ref", "../../HEAD"));
        body("ref path traversal", refTraversal, "repository.ref");
        Map<String, Object> refOption = withRepository(project("ref as git option"), "https://git.example.com/acme/shop.git");
        refOption.put("repository", Map.of("url", "https://git.example.com/acme/shop.git", "commit", COMMIT, "ref", "--upload-pack=touch /tmp/x"));
        body("ref as git option", refOption, "repository.ref");
        body("url as git option", withRepository(project("url as git option"), "--upload-pack=touch /tmp/x"), "repository.url");
        body("url with newline", withRepository(project("url with newline"), "https://git.example.com/a.git\nrm -rf /"), "repository.url");

        // Huge strings and lists.
        field("project 100000 characters", "project", "a".repeat(100_000), "project");
        field("version 100000 characters", "version", "1.2.3-" + "a".repeat(100_000), "version");
        field("ci evidence 2001 characters", "ciEvidence", "x".repeat(2001), "ciEvidence");
        field("51 components", "components", Collections.nCopies(51, "web"), "components");
        field("component name 64 characters", "components", List.of("w".repeat(64)), "components[0]");
        body("url 2001 characters", withRepository(project("url 2001 characters"), "https://git.example.com/" + "a".repeat(2000)),
                "repository.url");
        attack("body over 256 KiB", Method.POST, "/deployments", DEPLOYER,
                Map.of("project", "shop", "version", "1.2.3", "environment", "staging", "scanReport", "x".repeat(300_000)),
                413, null, "exceeds");

        // Unknown fields and duplicate keys.
        field("unknown field dryrun", "dryrun", true, "dryrun");
        field("unknown field approvedBy", "approvedBy", List.of("me", "you"), "approvedBy");
        field("unknown field fencingToken", "fencingToken", 999, "fencingToken");
        Map<String, Object> nestedUnknown = withRepository(project("unknown field in repository"), "https://git.example.com/acme/shop.git");
        nestedUnknown.put("repository", Map.of("url", "https://git.example.com/acme/shop.git", "commit", COMMIT, "token", "x"));
        body("unknown field in repository", nestedUnknown, "repository.token");
        body("duplicate project", "{\"project\": \"shop\", \"project\": \"other\", \"version\": \"1.2.3\", \"environment\": \"staging\"}",
                "project");
        body("duplicate dry run", "{\"project\": \"shop\", \"version\": \"1.2.3\", \"environment\": \"staging\", \"dryRun\": false, "
                + "\"dryRun\": true}", "dryRun");
        attack("duplicate key in the manifest object", Method.POST, "/deployments", DEPLOYER, "{\"project\": \"shop\", \"version\": "
                + "\"1.2.3\", \"environment\": \"staging\", \"manifest\": {\"version\": \"1.0\", \"version\": \"2.0\"}}", 400, "manifest",
                "Duplicate field 'version'");

        // Hostile manifests: YAML bombs, limits, tags, wrong shapes.
        String base = Manifests.of(project("yaml"), false, null);
        manifest("billion laughs", "a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n"
                + "b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: [*c,*c,*c,*c,*c,*c,*c,*c,*c]\n",
                "/manifest", "not allowed");
        manifest("alias without anchor", base.replace("healthcheck: /health", "healthcheck: *nowhere"), "/manifest", "aliases");
        manifest("anchor", base + "x-base: &base {a: 1}\n", "/manifest", "anchors (&base)");
        manifest("merge key", base + "rollback:\n  <<: {automatic: false}\n", "/manifest/rollback", null);
        manifest("self-referencing alias", "a: &a [*a]\n", "/manifest", "not allowed");
        manifest("nesting 100 deep", "a: " + "[".repeat(100) + "]".repeat(100), "/manifest", "nesting depth");
        manifest("string of 20000 characters", base.replace("type: web", "type: \"" + "w".repeat(20_000) + "\""), "/manifest", "longer than");
        manifest("key of 20000 characters", base + "x-" + "k".repeat(20_000) + ": 1\n", "/manifest", "invalid YAML");
        manifest("explicit key of 20000 characters", base + "? \"x-" + "k".repeat(20_000) + "\"\n: 1\n", "/manifest", "longer than");
        manifest("number of 100 digits", base.replace("port: 3000", "port: " + "9".repeat(100)), "/manifest", "Number value length");
        manifest("duplicate YAML keys", base + base, "/manifest", "Duplicate field");
        manifest("two YAML documents", base + "---\n" + base, "/manifest", "more than one YAML document");
        manifest("java type tag", "version: !!javax.script.ScriptEngineManager [!!java.net.URLClassLoader [[!!java.net.URL "
                + "[\"http://127.0.0.1:9/\"]]]]\n", "/manifest/version", null);
        manifest("NUL escape in a value", base.replace("client: acme", "client: \"ac\\0me\""), "/manifest", "control character");
        manifest("manifest as YAML list", "- version: \"1.0\"\n", "/manifest", "mapping at the top");
        manifest("empty manifest", "", "/manifest", "empty");
        manifest("manifest null text", "~\n", "/manifest", "empty");
        manifest("manifest as number", 42, "/manifest", "mapping at the top");
        manifest("manifest as list", List.of("version", "1.0"), "/manifest", "mapping at the top");
        manifest("manifest unknown top-level key", base + "deploy_strategy: canary\n", "/manifest", null);
        manifest("manifest project name traversal", base.replace("name: " + project("yaml"), "name: \"../../etc\""),
                "/manifest/project/name", null);
        manifest("manifest component name traversal", base.replace("  web:\n", "  \"../web\":\n"), "/manifest/components", null);
        manifest("manifest unknown strategy", Manifests.of(project("manifest unknown strategy"), false, "strategy: big-bang"),
                "/manifest/deployment/strategy", null);
        manifest("manifest unknown target", Manifests.of(project("manifest unknown target"), false, "targets:\n  staging: mainframe"),
                "/manifest/deployment/targets/staging", null);
        // Item 1: a target the operator does not allow for the environment (test config: uat allows kubernetes only).
        Map<String, Object> hostInUat = valid(project("host target in uat"));
        hostInUat.put("environment", "uat");
        hostInUat.put("manifest", Manifests.of(project("host target in uat"), false, "targets:\n  uat: host"));
        attack("host target in uat", Method.POST, "/deployments", DEPLOYER, hostInUat, 400, "/manifest/deployment/targets/uat",
                "runway.environments.uat.allowed-targets");
        manifest("manifest version as number", base.replace("version: \"1.0\"", "version: 1.0"), "/manifest/version", null);

        // Other endpoints.
        String someId = UUID.randomUUID().toString();
        attack("deployment id not a UUID", Method.GET, "/deployments/not-a-uuid", DEPLOYER, null, 400, "id", null);
        attack("deployment id traversal", Method.GET, "/deployments/..%2F..%2Fetc%2Fpasswd", DEPLOYER, null, 400, "id", null);
        attack("unknown deployment", Method.GET, "/deployments/" + someId, DEPLOYER, null, 404, null, "does not exist");
        attack("list size 0", Method.GET, "/deployments?size=0", DEPLOYER, null, 400, "size", null);
        attack("list size 100000", Method.GET, "/deployments?size=100000", DEPLOYER, null, 400, "size", null);
        attack("list page -1", Method.GET, "/deployments?page=-1", DEPLOYER, null, 400, "page", null);
        attack("list environment mars", Method.GET, "/deployments?environment=mars", DEPLOYER, null, 400, "environment", null);
        attack("list project with NUL", Method.GET, "/deployments?project=%00", DEPLOYER, null, 400, "project", null);
        attack("list client with NUL", Method.GET, "/deployments?client=a%00b", DEPLOYER, null, 400, "client", null);
        attack("approve with unknown field", Method.POST, "/deployments/" + someId + "/approvals", APPROVER,
                Map.of("comment", "ok", "approvals", 2), 400, "approvals", null);
        attack("approve with NUL comment", Method.POST, "/deployments/" + someId + "/approvals", APPROVER,
                Map.of("comment", "ok\u0000"), 400, "comment", null);
        attack("approve comment 1001 characters", Method.POST, "/deployments/" + someId + "/approvals", APPROVER,
                Map.of("comment", "c".repeat(1001)), 400, "comment", null);
        attack("approve unknown deployment", Method.POST, "/deployments/" + someId + "/approvals", APPROVER,
                Map.of("comment", "ok"), 404, null, "does not exist");
        attack("approve not a UUID", Method.POST, "/deployments/x/approvals", APPROVER, Map.of(), 400, "id", null);
        attack("window override without reason", Method.POST, "/deployments/" + someId + "/window-override", SRE, Map.of(), 400,
                "reason", null);
        attack("cancel with malformed body", Method.POST, "/deployments/" + someId + "/cancel", DEPLOYER, "{\"reason\": ", 400, "reason", null);
        attack("rollback with duplicate keys", Method.POST, "/deployments/" + someId + "/rollback", SRE,
                "{\"reason\": \"a\", \"reason\": \"b\"}", 400, "reason", null);
        attack("project environment mars", Method.GET, "/projects/shop/environments/mars", DEPLOYER, null, 400, "environment", null);
        attack("project path with NUL", Method.GET, "/projects/a%00b/environments/staging", DEPLOYER, null, 400, "project", null);
        attack("unknown project", Method.GET, "/projects/no-such-project-" + someId.substring(0, 8) + "/environments/staging", DEPLOYER,
                null, 404, null, null);
        attack("project rollback with unknown field", Method.POST, "/projects/shop/environments/staging/rollback", SRE,
                Map.of("reason", "x", "version", "0.0.1"), 400, "version", null);
        attack("project rollback unknown project", Method.POST, "/projects/no-such-" + someId.substring(0, 8) + "/environments/staging/rollback",
                SRE, Map.of("reason", "x"), 404, null, null);
        attack("environment rollback mars", Method.POST, "/environments/mars/rollback", SRE, null, 400, "environment", null);
        attack("environment view mars", Method.GET, "/environments/mars", DEPLOYER, null, 400, "environment", null);
        attack("dora days 0", Method.GET, "/metrics/dora?days=0", DEPLOYER, null, 400, "days", null);
        attack("dora days 100000", Method.GET, "/metrics/dora?days=100000", DEPLOYER, null, 400, "days", null);
        attack("dora environment mars", Method.GET, "/metrics/dora?environment=mars", DEPLOYER, null, 400, "environment", null);
        attack("dora project with NUL", Method.GET, "/metrics/dora?project=a%00b", DEPLOYER, null, 400, "project", null);

        // Who may ask, and how.
        attack("no token", Method.POST, "/deployments", null, valid(project("no token")), 401, null, null);
        attack("garbage token", Method.POST, "/deployments", "Bearer not-a-jwt", valid(project("garbage token")), 401, null, null);
        attack("unsigned token", Method.POST, "/deployments", "Bearer eyJhbGciOiJub25lIn0.eyJ1cG4iOiJldmUiLCJncm91cHMiOlsic3JlIl19.",
                valid(project("unsigned token")), 401, null, null);
        attack("viewer deploys", Method.POST, "/deployments", Tokens.bearer("vic", "viewer"), valid(project("viewer deploys")), 403,
                null, null);
        attack("deployer of another client", Method.POST, "/deployments", Tokens.scoped("olga", List.of("globex/*"), "deployer"),
                valid(project("deployer of another client")), 403, null, project("deployer of another client"));
        attack("token without projects", Method.POST, "/deployments", Tokens.unscoped("una", "deployer"),
                valid(project("token without projects")), 403, null, null);
        corpus.add(new Attack("text/plain body", spec -> spec.header("Authorization", DEPLOYER).contentType(ContentType.TEXT)
                .body("project=shop").post("/deployments"), 415, null, null));
        corpus.add(new Attack("XML body", spec -> spec.header("Authorization", DEPLOYER).contentType(ContentType.XML)
                .body("<deployment/>").post("/deployments"), 415, null, null));
        attack("PUT on deployments", Method.PUT, "/deployments", DEPLOYER, valid(project("put")), 405, null, null);
        attack("DELETE a deployment", Method.DELETE, "/deployments/" + someId, SRE, null, 405, null, null);
        corpus.add(new Attack("idempotency key 201 characters", spec -> spec.header("Authorization", DEPLOYER)
                .header("Idempotency-Key", "k".repeat(201)).contentType(ContentType.JSON).body(valid(project("idempotency key long")))
                .post("/deployments"), 400, "idempotencyKey", null));
    }

    // ---- the test -----------------------------------------------------------------------------------

    @Test
    void shouldRefuseEveryHostileRequestWithAProblemNamingItAndStartNothing() {
        buildCorpus();
        assertTrue(corpus.size() >= 100, "the corpus holds " + corpus.size() + " attacks");
        Set<String> names = new HashSet<>();
        corpus.forEach(a -> assertTrue(names.add(a.name()), "two attacks named " + a.name()));

        Map<String, Long> before = counts();
        Set<String> known = deploymentIds();
        List<LogRecord> logged = new CopyOnWriteArrayList<>();
        Handler capture = new Handler() {
            @Override
            public void publish(LogRecord record) {
                logged.add(record);
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        capture.setLevel(Level.ALL);
        Logger root = Logger.getLogger("");
        List<String> failures = new ArrayList<>();
        Map<Integer, Integer> statuses = new HashMap<>();
        try (KafkaConsumer<String, Object> topics = AvroKafka.consumerAtEnd(Backbone.get(), Topics.VALIDATION_REQUESTS,
                Topics.EXECUTOR_COMMANDS, Topics.HEALTH_COMMANDS, Topics.DEPLOYMENTS)) {
            root.addHandler(capture);
            try {
                for (Attack attack : corpus) {
                    Response response = attack.send().apply(given());
                    statuses.merge(response.statusCode(), 1, Integer::sum);
                    String why = judge(attack, response);
                    if (why != null) {
                        failures.add(attack.name() + ": " + why);
                    }
                }
            } finally {
                root.removeHandler(capture);
            }
            assertEquals(List.of(), failures, failures.size() + " of " + corpus.size() + " attacks were not refused as they should be");
            assertTrue(statuses.keySet().stream().allMatch(s -> s >= 400 && s < 500), "statuses: " + statuses);

            // Nothing started: no record for a deployment that did not exist before the corpus.
            List<String> foreign = new ArrayList<>();
            Waits.await("no record of a new deployment on the command and lifecycle topics").pollInSameThread()
                    .pollInterval(Duration.ofMillis(50)).during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(30))
                    .until(() -> {
                        for (ConsumerRecord<String, Object> r : topics.poll(Duration.ofMillis(100))) {
                            if (r.value() instanceof GenericRecord g && g.get("header") instanceof GenericRecord header
                                    && !known.contains(String.valueOf(header.get("deploymentId")))) {
                                foreign.add(r.topic() + " " + g.getSchema().getName() + " " + header.get("deploymentId"));
                            }
                        }
                        return foreign.isEmpty();
                    });
        }
        assertEquals(before, counts(), "no deployment or project row was written");
        List<String> leaks = logged.stream().map(HostileInputTest::text).filter(t -> t.contains(SECRET)).toList();
        assertEquals(List.of(), leaks, "the credential of a repository URL was logged");
    }

    /** Why the answer is not the refusal the attack must get, or null when it is. */
    private static String judge(Attack attack, Response response) {
        String raw = response.asString();
        if (response.statusCode() != attack.status()) {
            return "status " + response.statusCode() + " (expected " + attack.status() + "): " + shortened(raw);
        }
        if (raw.contains(SECRET)) {
            return "the answer repeats the credential";
        }
        String type = response.contentType();
        if (type == null || !type.startsWith(PROBLEM)) {
            return "content type " + type + ": " + shortened(raw);
        }
        JsonPath problem = response.jsonPath();
        if (problem.getInt("status") != attack.status() || problem.getString("title") == null) {
            return "not a problem document: " + shortened(raw);
        }
        List<String> fields = problem.getList("errors.field");
        // A parse error names the field it stopped in, possibly deeper ("manifest[0][0]…" for a nesting bomb).
        if (attack.field() != null && (fields == null || fields.stream().noneMatch(f -> f.equals(attack.field())
                || f.startsWith(attack.field() + "[") || f.startsWith(attack.field() + ".")))) {
            return "does not name " + attack.field() + ": " + shortened(raw);
        }
        if (attack.reason() != null && !raw.contains(attack.reason())) {
            return "does not say '" + attack.reason() + "': " + shortened(raw);
        }
        return null;
    }

    private static String shortened(String s) {
        return s.length() > 600 ? s.substring(0, 600) + "…" : s;
    }

    private static String text(LogRecord r) {
        String message = r.getMessage() == null ? "" : r.getMessage();
        if (r.getParameters() != null) {
            for (Object p : r.getParameters()) {
                message += " " + p;
            }
        }
        for (Throwable t = r.getThrown(); t != null; t = t.getCause()) {
            message += " " + t;
        }
        return r.getLoggerName() + ": " + message;
    }

    // ---- what is stored ------------------------------------------------------------------------------

    private static Connection database() throws SQLException {
        Backbone backbone = Backbone.get();
        return DriverManager.getConnection(backbone.jdbcPgUrl("runway_orchestrator_test"), backbone.pgUser(), backbone.pgPassword());
    }

    private static Map<String, Long> counts() {
        Map<String, Long> counts = new LinkedHashMap<>();
        try (Connection c = database(); Statement s = c.createStatement()) {
            for (String table : List.of("deployment", "project")) {
                try (ResultSet rs = s.executeQuery("select count(*) from " + table)) {
                    rs.next();
                    counts.put(table, rs.getLong(1));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return counts;
    }

    private static Set<String> deploymentIds() {
        Set<String> ids = new HashSet<>();
        try (Connection c = database(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery("select id from deployment")) {
            while (rs.next()) {
                ids.add(rs.getString(1));
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return ids;
    }
}
