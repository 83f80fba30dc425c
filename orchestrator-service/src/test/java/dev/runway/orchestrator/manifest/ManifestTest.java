package dev.runway.orchestrator.manifest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.ZoneId;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.runway.events.Environment;
import dev.runway.manifest.ManifestReader;

/**
 * The orchestrator's own reading of a manifest, behind the shared reader: trees that the schema would
 * refuse are handed to {@link Manifest#from} directly, as they would arrive if the schema ever let them
 * through. Each is refused naming its field; no number wraps, no unknown time zone escapes as a 500.
 */
class ManifestTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String VALID = """
            {"version": "1.0", "project": {"name": "shop", "client": "acme"},
             "components": {"web": {"port": 3000, "healthcheck": "/health", "deploy": {"replicas": 2}}},
             "deployment": {"canary": {"steps": [10, 50, 100], "pause_seconds": 30}, "monitoring_window_seconds": 60,
                            "approvals": {"production": 2},
                            "window": {"staging": {"days": ["mon"], "start": "09:00", "end": "17:00", "timezone": "Europe/Berlin"}}},
             "rollback": {"threshold": {"sustained_seconds": 120}}}
            """;

    private static ObjectNode valid() {
        try {
            return (ObjectNode) JSON.readTree(VALID);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static ObjectNode at(ObjectNode root, String pointer) {
        return (ObjectNode) root.at(pointer);
    }

    private static void refused(JsonNode root, String field, String words) {
        ManifestException e = assertThrows(ManifestException.class, () -> Manifest.from(root));
        assertEquals(field, e.problems().get(0).field(), e.getMessage());
        assertTrue(e.problems().get(0).message().contains(words), e.problems().get(0).message());
    }

    @Test
    void shouldReadTheNumbersOfAValidManifest() {
        assertTrue(new ManifestReader().check(valid()).ok(), () -> new ManifestReader().check(valid()).toString());
        Manifest m = Manifest.from(valid());
        assertEquals(List.of(10, 50, 100), m.canarySteps());
        assertEquals(Optional.of(30), m.canaryPauseSeconds());
        assertEquals(Optional.of(60), m.monitoringWindowSeconds());
        assertEquals(2, m.approvals().get(Environment.PRODUCTION));
        assertEquals(2, m.components().get("web").replicas());
        assertEquals(3000, m.components().get("web").port());
        assertEquals(120, m.rollback().sustainedSeconds());
        assertEquals(ZoneId.of("Europe/Berlin"), m.windows().get(Environment.STAGING).zone());
    }

    @Test
    void shouldRefuseCanaryStepsThatAreNotStrictlyAscendingToOneHundred() {
        ObjectNode twice = valid();
        at(twice, "/deployment/canary").set("steps", JSON.valueToTree(List.of(100, 5)));
        refused(twice, "/manifest/deployment/canary/steps/1", "strictly ascending");
        ObjectNode half = valid();
        at(half, "/deployment/canary").set("steps", JSON.valueToTree(List.of(10, 50)));
        refused(half, "/manifest/deployment/canary/steps", "must end at 100");
        ObjectNode equal = valid();
        at(equal, "/deployment/canary").set("steps", JSON.valueToTree(List.of(50, 50, 100)));
        refused(equal, "/manifest/deployment/canary/steps/1", "strictly ascending");
    }

    @Test
    void shouldNeverWrapANumberPastTheIntRange() {
        long wraps = 1L << 31;
        ObjectNode replicas = valid();
        at(replicas, "/components/web/deploy").put("replicas", wraps);
        refused(replicas, "/manifest/components/web/deploy/replicas", "0..1000");
        ObjectNode port = valid();
        at(port, "/components/web").put("port", -wraps * 2 + 3000);
        refused(port, "/manifest/components/web/port", "1..65535");
        ObjectNode pause = valid();
        at(pause, "/deployment/canary").put("pause_seconds", wraps);
        refused(pause, "/manifest/deployment/canary/pause_seconds", "0..86400");
        ObjectNode approvals = valid();
        at(approvals, "/deployment/approvals").put("production", wraps);
        refused(approvals, "/manifest/deployment/approvals/production", "0..10");
        ObjectNode sustained = valid();
        at(sustained, "/rollback/threshold").put("sustained_seconds", Long.MAX_VALUE);
        refused(sustained, "/manifest/rollback/threshold/sustained_seconds", "1..86400");
        ObjectNode fraction = valid();
        at(fraction, "/deployment/canary").set("steps", JSON.valueToTree(List.of(12.5, 100)));
        refused(fraction, "/manifest/deployment/canary/steps/0", "an integer");
        ObjectNode exact = valid();
        at(exact, "/deployment").put("monitoring_window_seconds", 60.0);
        assertEquals(Optional.of(60), Manifest.from(exact).monitoringWindowSeconds(), "60.0 is the integer 60");
    }

    @Test
    void shouldRefuseAMonitoringWindowOfZero() {
        ObjectNode zero = valid();
        at(zero, "/deployment").put("monitoring_window_seconds", 0);
        refused(zero, "/manifest/deployment/monitoring_window_seconds", "1..86400");
    }

    @Test
    void shouldRefuseATimeZoneTheDatabaseDoesNotKnow() {
        for (String zone : List.of("Mars/Olympus_Mons", "GMT+99", "")) {
            ObjectNode root = valid();
            at(root, "/deployment/window/staging").put("timezone", zone);
            refused(root, "/manifest/deployment/window/staging/timezone", "IANA name");
        }
    }
}
