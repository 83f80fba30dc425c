package dev.runway.testsupport;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;

import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * A git server over HTTP that, like a private GitHub repository, answers only requests with HTTP Basic credentials
 * whose password is its token (401 otherwise). It speaks git's "dumb" HTTP protocol, which JGit's client falls back
 * to: {@code info/refs}, {@code HEAD} and the object files of one repository, served from its {@code .git} directory.
 * Every request is recorded (path, the credentials' user and whether they were accepted), never the token.
 */
public final class GitHttpServer implements AutoCloseable {

    /** One request as the server saw it. */
    public record Request(String path, String user, boolean authorised) {
    }

    private final HttpServer server;
    private final Path gitDir;
    private final String token;
    private final List<Request> requests = new CopyOnWriteArrayList<>();

    private GitHttpServer(Path gitDir, String token) throws IOException {
        this.gitDir = gitDir;
        this.token = token;
        this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/repo.git/", this::handle);
        server.start();
    }

    /** Serves the repository in {@code workTree} at {@link #url()} to requests authenticated with {@code token}. */
    public static GitHttpServer serve(Path workTree, String token) throws IOException {
        Path git = workTree.resolve(".git");
        return new GitHttpServer(Files.isDirectory(git) ? git : workTree, token);
    }

    /** The repository's URL: no credentials in it. */
    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/repo.git";
    }

    public List<Request> requests() {
        return List.copyOf(requests);
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath().substring("/repo.git/".length());
            String user = null;
            boolean authorised = false;
            String header = exchange.getRequestHeaders().getFirst("Authorization");
            if (header != null && header.regionMatches(true, 0, "Basic ", 0, 6)) {
                String decoded = new String(Base64.getDecoder().decode(header.substring(6).trim()), StandardCharsets.UTF_8);
                int colon = decoded.indexOf(':');
                user = colon < 0 ? decoded : decoded.substring(0, colon);
                authorised = colon >= 0 && decoded.substring(colon + 1).equals(token);
            }
            requests.add(new Request(path, user, authorised));
            if (!authorised) {
                exchange.getResponseHeaders().add("WWW-Authenticate", "Basic realm=\"runway test git\"");
                send(exchange, 401, "text/plain", "authentication required\n".getBytes(StandardCharsets.UTF_8));
                return;
            }
            byte[] body = switch (path) {
                case "info/refs" -> refs();
                case "objects/info/packs" -> packs();
                default -> file(path);
            };
            if (body == null) {
                send(exchange, 404, "text/plain", new byte[0]);
            } else {
                send(exchange, 200, path.equals("info/refs") ? "text/plain" : "application/octet-stream", body);
            }
        }
    }

    /** What {@code git update-server-info} writes: every ref, and peeled tags. */
    private byte[] refs() throws IOException {
        StringBuilder out = new StringBuilder();
        try (Repository repo = new FileRepositoryBuilder().setGitDir(gitDir.toFile()).setMustExist(true).build()) {
            for (Ref ref : repo.getRefDatabase().getRefs()) {
                Ref peeled = repo.getRefDatabase().peel(ref);
                out.append(peeled.getObjectId().name()).append('\t').append(ref.getName()).append('\n');
                ObjectId target = peeled.getPeeledObjectId();
                if (target != null) {
                    out.append(target.name()).append('\t').append(ref.getName()).append("^{}\n");
                }
            }
        }
        return out.toString().getBytes(StandardCharsets.UTF_8);
    }

    private byte[] packs() throws IOException {
        Path dir = gitDir.resolve("objects/pack");
        StringBuilder out = new StringBuilder();
        if (Files.isDirectory(dir)) {
            try (Stream<Path> files = Files.list(dir)) {
                files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".pack")).sorted()
                        .forEach(n -> out.append("P ").append(n).append('\n'));
            }
        }
        return out.toString().getBytes(StandardCharsets.UTF_8);
    }

    private byte[] file(String path) throws IOException {
        if (path.contains("..") || !(path.equals("HEAD") || path.startsWith("objects/"))) {
            return null;
        }
        Path file = gitDir.resolve(path);
        return Files.isRegularFile(file) ? Files.readAllBytes(file) : null;
    }

    private static void send(HttpExchange exchange, int status, String type, byte[] body) throws IOException {
        exchange.getResponseHeaders().add("Content-Type", type);
        exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        if (body.length > 0) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
