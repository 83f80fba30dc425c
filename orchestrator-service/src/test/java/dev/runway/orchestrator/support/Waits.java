package dev.runway.orchestrator.support;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

import org.awaitility.Awaitility;
import org.awaitility.core.ConditionFactory;
import org.awaitility.core.ConditionTimeoutException;

import io.restassured.path.json.JsonPath;

/** How the tests wait: Awaitility, never a hand-written polling loop. */
public final class Waits {

    private Waits() {
    }

    /**
     * Awaitility for {@code what}: the first check at once, and blind to uncaught exceptions of other
     * threads (the service under test runs in this JVM and handles its own).
     */
    public static ConditionFactory await(String what) {
        return Awaitility.await(what).dontCatchUncaughtExceptions().pollDelay(Duration.ZERO);
    }

    /**
     * Reads a deployment through the API every 100 ms until it is in {@code state}; fails after
     * {@code within} with the last view read.
     */
    public static JsonPath untilState(String id, String state, Duration within, Supplier<JsonPath> read) {
        AtomicReference<JsonPath> last = new AtomicReference<>();
        try {
            return await("deployment " + id + " reaching " + state).atMost(within).pollInterval(Duration.ofMillis(100))
                    .until(() -> {
                        last.set(read.get());
                        return last.get();
                    }, view -> state.equals(view.getString("state")));
        } catch (ConditionTimeoutException e) {
            throw new AssertionError("deployment " + id + " did not reach " + state + "; last: "
                    + (last.get() == null ? null : last.get().prettify()), e);
        }
    }
}
