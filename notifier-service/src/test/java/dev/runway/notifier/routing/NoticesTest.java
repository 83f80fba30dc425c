package dev.runway.notifier.routing;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import dev.runway.events.DeploymentSucceeded;
import dev.runway.events.Environment;
import dev.runway.events.Envelopes;
import dev.runway.events.EventHeader;
import dev.runway.events.IncidentPriority;
import dev.runway.events.RollbackDecided;
import dev.runway.events.RollbackMode;
import dev.runway.events.StartWatch;
import dev.runway.events.ThresholdBreached;
import dev.runway.events.Thresholds;
import dev.runway.events.WatchPhase;

/** The wording of the seed's messages, without any infrastructure. */
class NoticesTest {

    private static final String ID = "d-1";

    private static EventHeader header(Environment env) {
        return Envelopes.first(ID, env, "acme-shop", Clock.systemUTC());
    }

    private static DeploymentContext ctx() {
        return new DeploymentContext(ID, Environment.PRODUCTION, "acme-shop", Optional.of("acme"), Optional.of("v2.0.0"), Optional.of("alice"),
                List.of("web"), ManifestNotifications.NONE, Optional.empty(), Optional.empty());
    }

    @Test
    void shouldWordSuccessLikeTheSeedsSlackPayload() {
        DeploymentSucceeded e = DeploymentSucceeded.newBuilder().setHeader(header(Environment.PRODUCTION))
                .setVersion("v2.0.0").setDurationMs(125_000).setComponents(List.of("web", "api")).build();
        Notice n = Notices.of(e, ctx(), Optional.empty());
        assertEquals("✅ Production deployment successful", n.headline());
        assertEquals("Production Deployment Complete", n.title());
        assertEquals(List.of(new Notice.Line("Project", "acme-shop"), new Notice.Line("Version", "v2.0.0"),
                new Notice.Line("Components", "web, api"), new Notice.Line("Deployed by", "alice"),
                new Notice.Line("Duration", "2 min 5 s")), n.lines());
        assertEquals(Severity.INFO, n.severity());
        assertEquals("acme", n.client(), "a record without a client takes the one remembered for its deployment");
        DeploymentSucceeded own = DeploymentSucceeded.newBuilder(e)
                .setHeader(Envelopes.first(ID, Environment.PRODUCTION, "acme-shop", "acme-retail", Clock.systemUTC())).build();
        assertEquals("acme-retail", Notices.of(own, ctx(), Optional.empty()).client(), "the record's own client wins");
    }

    @Test
    void shouldKeepTheDedupKeyOfOneDeploymentApartFromAnothersOnTheSameEnvironment() {
        Notice a = Notices.of(breach("error_rate", 6.1), ctx(), Optional.empty());
        ThresholdBreached other = ThresholdBreached.newBuilder(breach("error_rate", 6.1))
                .setHeader(Envelopes.first("d-2", Environment.PRODUCTION, "globex-shop", "globex", Clock.systemUTC())).build();
        assertNotEquals(a.dedupKey(), Notices.of(other, ctx(), Optional.empty()).dedupKey(),
                "two projects breaching on one environment are two notifications, never collapsed into one");
    }

    @Test
    void shouldGiveRepeatedBreachesOfOneMetricTheSameDedupKeyWhateverTheValue() {
        Notice a = Notices.of(breach("error_rate", 6.1), ctx(), Optional.empty());
        Notice b = Notices.of(breach("error_rate", 9.9), ctx(), Optional.empty());
        Notice c = Notices.of(breach("latency_p99", 9.9), ctx(), Optional.empty());
        assertEquals(a.dedupKey(), b.dedupKey());
        assertNotEquals(a.dedupKey(), c.dedupKey());
        assertEquals(Severity.CRITICAL, a.severity());
    }

    @Test
    void shouldWriteThe003IncidentMessageOnARollbackDecision() {
        RollbackDecided e = RollbackDecided.newBuilder().setHeader(header(Environment.PRODUCTION)).setWatchId("w")
                .setStep("shift-traffic-25").setMode(RollbackMode.AUTOMATIC).setPriority(IncidentPriority.P0)
                .setReason("error rate 12% > 10%").setTimeframeSeconds(0).build();
        DeploymentContext ctx = new DeploymentContext(ID, Environment.PRODUCTION, "acme-shop", Optional.of("acme"), Optional.of("v2.0.0"),
                Optional.empty(), List.of(), ManifestNotifications.NONE, Optional.of("P0"),
                Optional.of(Instant.parse("2026-01-15T14:30:22Z")));
        String incident = Notices.of(e, ctx, Optional.empty()).incident().orElseThrow();
        assertEquals("""
                🚨 INCIDENT: acme-shop v2.0.0 unhealthy on Production
                Severity: P0
                Started: 2026-01-15T14:30:22Z
                Impact: error rate 12% > 10%
                Actions Taken: Automatic rollback started
                Status: Mitigating""", incident);
    }

    @Test
    void shouldRefuseRecordsItDoesNotAnnounce() {
        StartWatch command = StartWatch.newBuilder().setHeader(header(Environment.PRODUCTION)).setWatchId("w")
                .setStep("s").setVersion("v").setPhase(WatchPhase.VERIFY_GREEN).setTrafficPercent(0)
                .setWindowSeconds(1).setThresholds(Thresholds.newBuilder().setErrorRatePercent(5)
                        .setSustainedSeconds(1).build()).setTargets(List.of()).build();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Notices.of(command, ctx(), Optional.empty()));
        assertThat(e.getMessage(), containsString("StartWatch"));
    }

    private static ThresholdBreached breach(String metric, double value) {
        return ThresholdBreached.newBuilder().setHeader(header(Environment.PRODUCTION)).setWatchId("w").setStep("s")
                .setMetric(metric).setValue(value).setThreshold(5).setWindowSeconds(60).setSource("x")
                .setSamples(List.of()).setPriority(IncidentPriority.P1).build();
    }
}
