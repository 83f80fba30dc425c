package dev.runway.demo;

import java.io.File;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The demo's load generator: a steady request rate to each environment's nginx front, one line per
 * answer in the log ({@code <epoch ms> <environment> <status> <X-Release-Version>}; status 0 = no answer),
 * so the demo and the end-to-end test can tell which release served when.
 *
 * <p>A process of its own, started by the demo and left running after it (stopped by {@code ./runway down}):
 * <pre>java -cp demo/target/runway-demo.jar dev.runway.demo.Traffic LOG RATE_PER_SECOND name=url [name=url...]</pre>
 */
public final class Traffic {

    private Traffic() {
    }

    /**
     * Starts the load generator as a process of its own that outlives the demo, in its own session (a Ctrl-C of the
     * demo leaves it), pid in the state's pids/traffic.pid for {@code ./runway down}.
     */
    static void start(Settings settings, Path log, int perSecond, String... fronts) throws IOException {
        Path jar;
        try {
            jar = Path.of(Traffic.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new IOException("where is the demo's jar?", e);
        }
        List<String> command = new ArrayList<>(List.of("setsid", "java", "-Xmx64m", "-cp", jar.toString(), Traffic.class.getName(),
                log.toString(), Integer.toString(perSecond)));
        command.addAll(List.of(fronts));
        Files.createDirectories(settings.logsDir());
        Files.createDirectories(settings.pidsDir());
        Process traffic = new ProcessBuilder(command).directory(settings.demoDir().toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectOutput(ProcessBuilder.Redirect.appendTo(settings.logsDir().resolve("traffic.log").toFile()))
                .redirectErrorStream(true).start();
        Files.writeString(settings.pidsDir().resolve("traffic.pid"), traffic.pid() + "\n");
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 3) {
            System.err.println("usage: Traffic LOG RATE_PER_SECOND name=url [name=url...]");
            System.exit(2);
        }
        Path log = Path.of(args[0]);
        int rate = Integer.parseInt(args[1]);
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofMillis(500)).build();
        PrintWriter out = new PrintWriter(Files.newBufferedWriter(log), true);
        ScheduledExecutorService pool = Executors.newScheduledThreadPool(4, r -> {
            Thread t = new Thread(r, "traffic");
            t.setDaemon(true);
            return t;
        });
        long periodMicros = 1_000_000L / rate;
        for (int i = 2; i < args.length; i++) {
            String name = args[i].substring(0, args[i].indexOf('='));
            URI uri = URI.create(args[i].substring(args[i].indexOf('=') + 1));
            HttpRequest request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(2)).GET().build();
            pool.scheduleAtFixedRate(() -> {
                String line;
                try {
                    HttpResponse<Void> r = http.send(request, HttpResponse.BodyHandlers.discarding());
                    line = System.currentTimeMillis() + " " + name + " " + r.statusCode() + " "
                            + r.headers().firstValue("X-Release-Version").orElse("-");
                } catch (Exception e) {
                    line = System.currentTimeMillis() + " " + name + " 0 -";
                }
                synchronized (out) {
                    out.println(line);
                }
            }, 0, periodMicros, TimeUnit.MICROSECONDS);
        }
        Thread.currentThread().join(); // until the demo stops it
    }
}
