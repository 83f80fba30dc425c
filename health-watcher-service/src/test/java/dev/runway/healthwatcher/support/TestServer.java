package dev.runway.healthwatcher.support;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * A small real HTTP server on a given loopback address that records every request it gets, with answers
 * a hostile or broken target would give: oversized, endless, trickling.
 */
public final class TestServer implements AutoCloseable {

    /** 3 MiB: over the default cap of 2 MiB. */
    public static final int BIG = 3 * 1024 * 1024;

    /** What the endless answer wrote before the client closed the connection, and whether it did. */
    public final AtomicLong endlessWritten = new AtomicLong();
    public final AtomicBoolean endlessClosedByClient = new AtomicBoolean();
    public final List<String> requests = new CopyOnWriteArrayList<>();
    public final List<String> hostHeaders = new CopyOnWriteArrayList<>();

    private final HttpServer server;
    private final ExecutorService threads = Executors.newCachedThreadPool(r -> {
        Thread thread = new Thread(r, "test-server");
        thread.setDaemon(true);
        return thread;
    });

    private TestServer(HttpServer server) {
        this.server = server;
        server.setExecutor(threads);
        server.createContext("/", this::handle);
    }

    /** Listening on {@code address} (127.0.0.1, 127.0.0.2, ...), on a free port. */
    public static TestServer on(String address) {
        try {
            TestServer t = new TestServer(HttpServer.create(new InetSocketAddress(address, 0), 0));
            t.server.start();
            return t;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public String url(String path) {
        return "http://" + server.getAddress().getAddress().getHostAddress() + ":" + port() + path;
    }

    public int port() {
        return server.getAddress().getPort();
    }

    private void handle(HttpExchange ex) {
        String path = ex.getRequestURI().getPath();
        requests.add(path);
        hostHeaders.add(ex.getRequestHeaders().getFirst("Host"));
        try {
            if (path.startsWith("/big-chunked")) { // 3 MiB without a length: cut off while reading
                ex.sendResponseHeaders(200, 0);
                write(ex.getResponseBody(), BIG);
            } else if (path.startsWith("/big")) { // declares its length: refused before reading
                ex.sendResponseHeaders(200, BIG);
                write(ex.getResponseBody(), BIG);
            } else if (path.startsWith("/endless")) {
                endless(ex);
            } else if (path.startsWith("/trickle")) {
                trickle(ex);
            } else if (path.startsWith("/redirect")) { // to wherever the query says
                ex.getResponseHeaders().set("Location", ex.getRequestURI().getRawQuery());
                ex.sendResponseHeaders(302, -1);
            } else {
                byte[] body = ("# TYPE http_requests_total counter\nhttp_requests_total{code=\"200\"} " + requests.size() + "\n")
                        .getBytes(StandardCharsets.UTF_8);
                ex.sendResponseHeaders(200, body.length);
                ex.getResponseBody().write(body);
            }
        } catch (IOException e) {
            // The client closed the connection (cut off or timed out): expected for the hostile answers.
        } finally {
            ex.close();
        }
    }

    private static void write(OutputStream out, int bytes) throws IOException {
        byte[] line = "# padding padding padding padding padding padding padding padding padding padding\n".getBytes(StandardCharsets.UTF_8);
        for (int done = 0; done < bytes; done += line.length) {
            out.write(line, 0, Math.min(line.length, bytes - done));
        }
    }

    /** Chunked, up to 1 GiB: a client that reads it all would hold a gigabyte. */
    private void endless(HttpExchange ex) throws IOException {
        ex.sendResponseHeaders(200, 0);
        byte[] chunk = new byte[64 * 1024];
        OutputStream out = ex.getResponseBody();
        try {
            for (long i = 0; i < 16 * 1024; i++) {
                out.write(chunk);
                endlessWritten.addAndGet(chunk.length);
            }
        } catch (IOException e) {
            endlessClosedByClient.set(true);
            throw e;
        }
    }

    /** One byte every 100 ms for a minute: never idle long, never done. */
    private static void trickle(HttpExchange ex) throws IOException {
        ex.sendResponseHeaders(200, 0);
        OutputStream out = ex.getResponseBody();
        for (int i = 0; i < 600; i++) {
            out.write('#');
            out.flush();
            DemoApp.sleep(100);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        threads.shutdownNow();
    }
}
