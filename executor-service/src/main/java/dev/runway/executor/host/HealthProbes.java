package dev.runway.executor.host;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;

import dev.runway.executor.commands.ProjectEnv;
import dev.runway.executor.commands.StepFailure;

/**
 * Whether a release answers: a slot until its healthcheck gives 200 (failing fast when its process
 * exits), and a project environment's front until nginx serves the expected version.
 */
class HealthProbes {

    private final SlotStore store;
    private final Duration healthTimeout;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();

    HealthProbes(SlotStore store, Duration healthTimeout) {
        this.store = store;
        this.healthTimeout = healthTimeout;
    }

    void awaitHealthy(SlotState key, String colour, String health) throws Exception {
        long deadline = System.nanoTime() + healthTimeout.toNanos();
        URI uri = URI.create("http://127.0.0.1:" + key.port(colour) + health);
        while (System.nanoTime() < deadline) {
            SlotState state = store.existing(key(key), key.component);
            SlotState.Slot slot = state == null ? null : state.slot(colour);
            if (slot == null || !SlotProcesses.alive(slot)) {
                throw new StepFailure("SLOT_EXITED", key.component + " " + colour + " exited before it was healthy; see "
                        + store.logFile(key, colour), true);
            }
            if (status(uri) == 200) {
                return;
            }
            Thread.sleep(100);
        }
        throw new StepFailure("HEALTH_TIMEOUT", uri + " did not answer 200 within " + healthTimeout.toSeconds() + " s", true);
    }

    /** Until the front answers with {@code version} several times in a row (new workers took over). */
    void awaitFront(int front, String version) throws Exception {
        URI uri = URI.create("http://127.0.0.1:" + front + "/");
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        int inARow = 0;
        while (System.nanoTime() < deadline) {
            try {
                HttpResponse<Void> r = http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.discarding());
                Optional<String> answered = r.headers().firstValue("X-Release-Version");
                inARow = version.equals(answered.orElse(null)) || (r.statusCode() < 500 && answered.isEmpty()) ? inARow + 1 : 0;
            } catch (IOException e) {
                inARow = 0;
            }
            if (inARow >= 3) {
                return;
            }
            Thread.sleep(20);
        }
        throw new StepFailure("SWITCH_NOT_VISIBLE", "nginx on " + front + " did not serve version " + version + " within 15 s", true);
    }

    /** After nginx's reload the front's server is gone: connections are refused (old workers may finish a moment). */
    void awaitFrontClosed(int front) throws Exception {
        URI uri = URI.create("http://127.0.0.1:" + front + "/");
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (System.nanoTime() < deadline) {
            if (status(uri) < 0) {
                return;
            }
            Thread.sleep(20);
        }
        throw new StepFailure("SWITCH_NOT_VISIBLE", "nginx on " + front + " still answers within 15 s after its server was removed", true);
    }

    private int status(URI uri) {
        try {
            return http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    private static ProjectEnv key(SlotState state) {
        return SlotStore.keyOf(state);
    }
}
