package dev.runway.testsupport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.restassured.RestAssured;

/**
 * Walks a running service's OpenAPI document ({@code /q/openapi?format=json}) and calls every operation it
 * lists: without a token (401), with a token that does not name the audience {@code runway} (401), with a
 * token holding no Runway role and with each Runway role the operation does not allow (403), and with a
 * token of the allowed roles scoped to another client (403 or 404; a read may answer 2xx only if nothing of
 * the fixture's project is in it). Reads under a token that covers the fixture's project must answer 2xx,
 * so the refusals above are not the answers of a wrong path. An operation that documents no security
 * requirement fails the walk, so a new endpoint cannot be left open by forgetting it.
 *
 * <p>The allowed roles are the scopes of each operation's security requirement, which Quarkus derives from
 * {@code @RolesAllowed} ({@code quarkus.smallrye-openapi.security-scheme=jwt}).
 */
public final class ApiSecurityWalker {

    /** The roles of the orchestrator, which every service checks. */
    public static final List<String> ROLES = List.of("viewer", "deployer", "approver", "sre");
    private static final Pattern PATH_PARAM = Pattern.compile("\\{([^}]+)}");
    private static final Duration STREAM_READ = Duration.ofSeconds(1);

    private final Map<String, String> pathValues = new HashMap<>();
    private final Map<String, String> queryValues = new HashMap<>();
    private final Map<String, String> bodies = new HashMap<>();
    private final Set<String> gone = new HashSet<>();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final ObjectMapper json = new ObjectMapper();
    private final String ownScope;
    private final String foreignScope;
    private final String marker;
    private int minimumOperations = 1;

    /**
     * @param ownScope     a runway_projects pattern covering the fixture's project ({@code client/project})
     * @param foreignScope a pattern of another client, which must see nothing of the fixture
     * @param marker       text found in any answer that shows the fixture's record (its project name or id)
     */
    private ApiSecurityWalker(String ownScope, String foreignScope, String marker) {
        this.ownScope = ownScope;
        this.foreignScope = foreignScope;
        this.marker = marker;
    }

    public static ApiSecurityWalker covering(String ownScope, String foreignScope, String marker) {
        return new ApiSecurityWalker(ownScope, foreignScope, marker);
    }

    /** The value of a path parameter: something of the fixture's project (a deployment id, a command id, ...). */
    public ApiSecurityWalker path(String name, String value) {
        pathValues.put(name, value);
        return this;
    }

    /** A query parameter's value, sent wherever an operation declares that parameter. */
    public ApiSecurityWalker query(String name, String value) {
        queryValues.put(name, value);
        return this;
    }

    /** A request body for one operation ({@code "POST /deployments"}): valid, so that only scope can refuse it. */
    public ApiSecurityWalker body(String operation, String jsonBody) {
        bodies.put(operation, jsonBody);
        return this;
    }

    /** An operation kept only to answer 410 Gone to every caller it lets in: nothing of a project to refuse. */
    public ApiSecurityWalker gone(String operation) {
        gone.add(operation);
        return this;
    }

    /** Fewer operations than this in the document fails the walk (the document must describe the API). */
    public ApiSecurityWalker atLeast(int operations) {
        minimumOperations = operations;
        return this;
    }

    /** Walks every operation; returns the operations it checked as {@code "GET /path"}. */
    public List<String> walk() {
        JsonNode doc = document();
        String scheme = schemeName(doc);
        List<String> walked = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> paths = doc.path("paths").fields(); paths.hasNext();) {
            Map.Entry<String, JsonNode> path = paths.next();
            for (Iterator<Map.Entry<String, JsonNode>> ops = path.getValue().fields(); ops.hasNext();) {
                Map.Entry<String, JsonNode> op = ops.next();
                String method = op.getKey().toUpperCase();
                if (!Set.of("GET", "POST", "PUT", "PATCH", "DELETE").contains(method)) {
                    continue;
                }
                String name = method + " " + path.getKey();
                check(name, method, path.getKey(), op.getValue(), scheme);
                walked.add(name);
            }
        }
        assertTrue(walked.size() >= minimumOperations,
                "the OpenAPI document lists " + walked + "; expected at least " + minimumOperations + " operations");
        return walked;
    }

    private void check(String name, String method, String template, JsonNode op, String scheme) {
        JsonNode security = op.path("security");
        assertTrue(security.isArray() && !security.isEmpty(), name + " documents no security requirement: is it @RolesAllowed?");
        List<String> allowed = new ArrayList<>();
        for (JsonNode requirement : security) {
            requirement.path(scheme).forEach(role -> allowed.add(role.asText()));
        }
        assertFalse(allowed.isEmpty(), name + " names no role in its security requirement " + security);
        String uri = uri(name, template, op);
        String body = bodies.getOrDefault(name, "{}");
        String[] allowedRoles = allowed.toArray(String[]::new);

        assertEquals(401, call(method, uri, body, null).status(), name + " without a token");
        assertEquals(401, call(method, uri, body, Tokens.withAudience(null, "walker", allowedRoles)).status(),
                name + " with a token that names no audience");
        assertEquals(401, call(method, uri, body, Tokens.withAudience("someone-else", "walker", allowedRoles)).status(),
                name + " with a token for another audience");
        assertEquals(403, call(method, uri, body, Tokens.bearer("walker", "intruder")).status(),
                name + " with a token of no Runway role");
        for (String role : ROLES) {
            if (!allowed.contains(role)) {
                assertEquals(403, call(method, uri, body, Tokens.bearer("walker", role)).status(),
                        name + " with role " + role + " (allowed: " + allowed + ")");
            }
        }
        Answer foreign = call(method, uri, body, Tokens.scoped("walker", List.of(foreignScope), allowedRoles));
        if (method.equals("GET")) {
            assertTrue(foreign.status() == 403 || foreign.status() == 404
                    || (foreign.status() / 100 == 2 && !foreign.body().contains(marker)),
                    name + " scoped to " + foreignScope + " answered " + foreign.status() + " showing " + marker + ": " + foreign.body());
            Answer own = call(method, uri, body, Tokens.scoped("walker", List.of(ownScope), allowedRoles));
            assertEquals(2, own.status() / 100, name + " scoped to " + ownScope + " (the fixture's project): " + own.body());
        } else if (gone.contains(name)) {
            assertEquals(410, foreign.status(), name + " is gone: " + foreign.body());
        } else {
            assertTrue(foreign.status() == 403 || foreign.status() == 404,
                    name + " scoped to " + foreignScope + " answered " + foreign.status() + ": " + foreign.body());
        }
    }

    private String uri(String name, String template, JsonNode op) {
        Matcher m = PATH_PARAM.matcher(template);
        StringBuilder path = new StringBuilder();
        while (m.find()) {
            String value = pathValues.get(m.group(1));
            assertNotNull(value, name + ": give the walker a value for {" + m.group(1) + "} (path(name, value))");
            m.appendReplacement(path, Matcher.quoteReplacement(URLEncoder.encode(value, StandardCharsets.UTF_8)));
        }
        m.appendTail(path);
        Map<String, String> query = new LinkedHashMap<>();
        for (JsonNode parameter : op.path("parameters")) {
            String p = parameter.path("name").asText();
            if (parameter.path("in").asText().equals("query") && queryValues.containsKey(p)) {
                query.put(p, queryValues.get(p));
            }
        }
        StringBuilder uri = new StringBuilder(base()).append(path);
        String sep = "?";
        for (Map.Entry<String, String> q : query.entrySet()) {
            uri.append(sep).append(q.getKey()).append('=').append(URLEncoder.encode(q.getValue(), StandardCharsets.UTF_8));
            sep = "&";
        }
        return uri.toString();
    }

    private JsonNode document() {
        Answer doc = call("GET", base() + "/q/openapi?format=json", null, null);
        assertEquals(200, doc.status(), "the OpenAPI document (test profile): " + doc.body());
        try {
            return json.readTree(doc.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The security scheme's name: the one declared under components (Quarkus: SecurityScheme by default). */
    private static String schemeName(JsonNode doc) {
        Iterator<String> names = doc.path("components").path("securitySchemes").fieldNames();
        assertTrue(names.hasNext(), "the OpenAPI document declares no security scheme (quarkus.smallrye-openapi.security-scheme=jwt)");
        return names.next();
    }

    private static String base() {
        return "http://localhost:" + RestAssured.port;
    }

    private Answer call(String method, String uri, String body, String authorization) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(uri)).timeout(Duration.ofSeconds(20))
                .header("Accept", "application/json, text/event-stream, */*");
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        if (method.equals("GET") || method.equals("DELETE")) {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            request.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(body));
        }
        try {
            HttpResponse<InputStream> response = http.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
            boolean stream = response.headers().firstValue("Content-Type").orElse("").startsWith("text/event-stream");
            return new Answer(response.statusCode(), stream ? readFor(response.body()) : readAll(response.body()));
        } catch (IOException e) {
            throw new UncheckedIOException(method + " " + uri, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static String readAll(InputStream in) throws IOException {
        try (in) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /** What an event stream sends in a short while; then the stream is closed (it does not end by itself). */
    private static String readFor(InputStream in) {
        ByteArrayOutputStream seen = new ByteArrayOutputStream();
        CompletableFuture<Void> reading = CompletableFuture.runAsync(() -> {
            byte[] buffer = new byte[4096];
            try {
                for (int n; (n = in.read(buffer)) >= 0;) {
                    synchronized (seen) {
                        seen.write(buffer, 0, n);
                    }
                }
            } catch (IOException closed) {
                // closed below: the end of what we read
            }
        });
        try {
            reading.get(STREAM_READ.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException expected) {
            // an open stream: what it sent so far is the answer
        } catch (ExecutionException e) {
            fail(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            try {
                in.close();
            } catch (IOException ignored) {
                // already closed
            }
        }
        synchronized (seen) {
            return seen.toString(StandardCharsets.UTF_8);
        }
    }

    private record Answer(int status, String body) {
    }
}
