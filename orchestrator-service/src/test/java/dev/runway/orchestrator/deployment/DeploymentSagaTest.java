package dev.runway.orchestrator.deployment;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import dev.runway.events.ApplyMigrations;
import dev.runway.events.CheckResult;
import dev.runway.events.CheckStatus;
import dev.runway.events.DeployRequested;
import dev.runway.events.DeploymentFailed;
import dev.runway.events.DeploymentRolledBack;
import dev.runway.events.DeploymentStarted;
import dev.runway.events.DeploymentSucceeded;
import dev.runway.events.IncidentPriority;
import dev.runway.events.MigrationSet;
import dev.runway.events.MigrationSets;
import dev.runway.events.NeedsAttention;
import dev.runway.events.PromoteGreen;
import dev.runway.events.RemoveGreen;
import dev.runway.events.RollOut;
import dev.runway.events.RollbackTraffic;
import dev.runway.events.Severity;
import dev.runway.events.ShiftTraffic;
import dev.runway.events.StartWatch;
import dev.runway.events.StopWatch;
import dev.runway.events.TargetKind;
import dev.runway.events.Topics;
import dev.runway.events.TrafficShifted;
import dev.runway.events.ValidationFailed;
import dev.runway.events.ValidationOutcome;
import dev.runway.events.ValidationPassed;
import dev.runway.events.WatchTarget;
import dev.runway.orchestrator.support.Manifests;
import dev.runway.orchestrator.support.Participants;
import dev.runway.orchestrator.support.Waits;
import dev.runway.testsupport.AvroKafka;
import dev.runway.testsupport.Backbone;
import dev.runway.testsupport.BackboneTestResource;
import dev.runway.testsupport.Tokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;

/**
 * The saga end to end inside the orchestrator, against the real Kafka, registry, Postgres and
 * Redis; the validator, executor and health-watcher are played by the test on the real broker.
 */
@QuarkusTest
@QuarkusTestResource(value = BackboneTestResource.class, initArgs = {
        @ResourceArg(name = "database", value = "runway_orchestrator_test"),
        @ResourceArg(name = "jdbc", value = "true"),
        @ResourceArg(name = "redis", value = "true") })
class DeploymentSagaTest {

    private static final String DEPLOYER = Tokens.bearer("dana", "deployer");
    private static final String SRE = Tokens.bearer("sam", "sre");

    private Participants participants;

    @BeforeEach
    void listen() {
        participants = new Participants();
    }

    @AfterEach
    void close() {
        participants.close();
    }

    static String project() {
        return "p" + UUID.randomUUID().toString().substring(0, 8);
    }

    static Map<String, Object> body(String project, String environment, String manifest) {
        Map<String, Object> body = new HashMap<>();
        body.put("project", project);
        body.put("version", "1.4.2");
        body.put("environment", environment);
        body.put("manifest", manifest);
        return body;
    }

    static String post(Map<String, Object> body) {
        return given().header("Authorization", DEPLOYER).contentType(ContentType.JSON).body(body)
                .when().post("/deployments")
                .then().statusCode(202).extract().path("id");
    }

    static JsonPath get(String id) {
        return given().header("Authorization", DEPLOYER).when().get("/deployments/" + id)
                .then().statusCode(200).extract().jsonPath();
    }

    /** Reads the deployment through the API until it reaches {@code state}. */
    static JsonPath awaitState(String id, String state) {
        return Waits.untilState(id, state, Duration.ofSeconds(30), () -> get(id));
    }

    /** Commands issued for the deployment, as step names in order. */
    List<String> commandSteps(String id) {
        List<String> steps = new ArrayList<>();
        for (SpecificRecord r : participants.records(id)) {
            if (Participants.isCommand(r) && !(r instanceof StopWatch)) {
                steps.add(Participants.step(r));
            }
        }
        return steps;
    }

    @Test
    void shouldDeployBlueGreenWithDatabaseStepByStep() {
        String project = project();
        String id = post(body(project, "staging", Manifests.of(project, true, "strategy: blue-green")));
        participants.answerUntil(id, null);
        JsonPath done = awaitState(id, "SUCCEEDED");

        assertEquals(List.of("validate", "backup-database", "apply-migrations", "deploy-green", "verify-green",
                "shift-traffic", "monitor", "promote-green"), commandSteps(id));
        assertEquals(List.of("validate", "lock", "backup-database", "apply-migrations", "deploy-green", "verify-green",
                "shift-traffic", "monitor", "promote-green", "release-lock"), done.getList("steps.name"));
        assertTrue(done.getList("steps.status").stream().allMatch("COMPLETED"::equals));
        DeploymentSucceeded succeeded = participants.next(id, DeploymentSucceeded.class);
        assertEquals("1.4.2", succeeded.getVersion());
        DeploymentStarted started = participants.next(id, DeploymentStarted.class);
        assertTrue(started.getFencingToken() > 0);
        // Every executor command carried the lock's fencing token (a higher one if the lease had to be recovered).
        participants.records(id).stream().filter(r -> r.getSchema().getField("fencingToken") != null
                        && !(r instanceof DeploymentStarted))
                .forEach(r -> assertTrue((Long) r.get(r.getSchema().getField("fencingToken").pos()) >= started.getFencingToken(),
                        Participants.label(r)));
        // The new colour was made the live one, for the deployment's components, under its lock.
        PromoteGreen promote = (PromoteGreen) participants.records(id).stream().filter(PromoteGreen.class::isInstance).findFirst()
                .orElseThrow();
        assertEquals(Set.of("web", "api"), Set.copyOf(promote.getComponents()));
        assertEquals("1.4.2", promote.getVersion());
        assertEquals(started.getFencingToken(), promote.getFencingToken());
        // The colour it replaced keeps running (24 h by default) and is shown as the previous release.
        given().header("Authorization", DEPLOYER).when().get("/projects/" + project + "/environments/staging").then().statusCode(200)
                .body("live.find { it.component == 'web' }.version", equalTo("1.4.2"))
                .body("previous.find { it.replacedBy == '" + id + "' }.slot", equalTo("blue"))
                .body("previous.find { it.replacedBy == '" + id + "' }.status", equalTo("KEPT"))
                .body("previous.find { it.replacedBy == '" + id + "' }.keptUntil", notNullValue());
        assertTrue(done.getList("events.action").contains("release-kept"), done.getList("events.action").toString());
    }

    @Test
    void shouldCarryTheCredentialNameAndTheValidatedMigrationsAndKeepTheScanReportOffThePublicTopic() {
        String project = project();
        Map<String, Object> body = body(project, "staging", Manifests.of(project, true, "strategy: blue-green"));
        body.put("repository", Map.of("url", "https://git.example.com/acme/shop.git",
                "commit", "0123456789abcdef0123456789abcdef01234567", "credential", "acme-github"));
        String scan = "{\"vulnerabilities\": [{\"id\": \"CVE-2026-0001\", \"severity\": \"low\"}]}";
        body.put("scanReport", scan);
        try (KafkaConsumer<String, Object> lifecycle = AvroKafka.consumerAtEnd(Backbone.get(), Topics.DEPLOYMENTS)) {
            String id = post(body);
            DeployRequested request = participants.next(id, DeployRequested.class);
            assertEquals("acme-github", request.getRepository().getCredential(), "the validator gets the name to resolve");
            assertEquals(scan, request.getScanReport(), "the validator gets the scan report");
            DeployRequested published = AvroKafka.await(lifecycle, DeployRequested.class,
                    r -> id.equals(r.getHeader().getDeploymentId()), Duration.ofSeconds(30)).value();
            assertNull(published.getScanReport(), "the public topic carries no scan report");
            assertEquals("acme-github", published.getRepository().getCredential());

            MigrationSet validated = MigrationSets.of("database/migrations", Map.of("20261101000000_create_orders.sql",
                    "create table orders (id int);".getBytes(StandardCharsets.UTF_8)));
            participants.send(ValidationPassed.newBuilder().setHeader(Participants.replyTo(request))
                    .setReport(Participants.report(ValidationOutcome.PASSED, List.of())).setMigrations(validated).build());
            ApplyMigrations apply = (ApplyMigrations) participants.answerUntil(id, "apply-migrations");
            assertEquals(validated, apply.getValidatedMigrations(), "the executor is told what was validated");
            assertEquals("database/migrations", apply.getMigrationsPath());
            assertEquals("acme-github", apply.getRepository().getCredential());
            participants.send(Participants.success(apply));
            participants.answerUntil(id, null);
            JsonPath done = awaitState(id, "SUCCEEDED");
            assertTrue(done.getList("steps.detail").stream().anyMatch(x -> String.valueOf(x).contains(validated.getSha256())),
                    done.getList("steps.detail").toString());
        }
    }

    @Test
    void shouldShiftCanaryTrafficInStepsWithAWatchBetween() {
        String project = project();
        String id = post(body(project, "staging", Manifests.of(project, false, "strategy: canary")));
        participants.answerUntil(id, null);
        awaitState(id, "SUCCEEDED");
        assertEquals(List.of("validate", "deploy-green", "verify-green", "shift-traffic-10", "watch-canary-10",
                "shift-traffic-25", "watch-canary-25", "shift-traffic-50", "watch-canary-50", "shift-traffic-100", "monitor",
                "promote-green"), commandSteps(id));
    }

    @Test
    void shouldRollOutAndMonitorForRolling() {
        String project = project();
        Map<String, Object> body = body(project, "development", Manifests.of(project, false, "strategy: rolling"));
        body.put("repository", Map.of("url", "https://git.example.com/" + project + ".git", "commit", "abcdef0123456"));
        String id = post(body);
        participants.answerUntil(id, null);
        awaitState(id, "SUCCEEDED");
        assertEquals(List.of("validate", "roll-out", "verify-rollout", "monitor"), commandSteps(id));
        RollOut rollOut = (RollOut) participants.records(id).stream().filter(RollOut.class::isInstance).findFirst().orElseThrow();
        assertEquals(TargetKind.HOST, rollOut.getTarget());
        // The release runs from a checkout of the deployment's own commit.
        assertEquals("abcdef0123456", rollOut.getRepository().getCommit());
        assertEquals("acme", rollOut.getHeader().getClient());
    }

    @Test
    void shouldFailWithTheReportWhenValidationFails() {
        String project = project();
        String id = post(body(project, "staging", Manifests.of(project, true, null)));
        DeployRequested request = participants.next(id, DeployRequested.class);
        CheckResult missing = CheckResult.newBuilder().setRuleId("structure.required-files").setPhase(1)
                .setPhaseName("repository structure").setSeverity(Severity.ERROR).setStatus(CheckStatus.FAILED)
                .setFile("DEPLOYMENT.md").setMessage("missing").setHint("add it").build();
        participants.send(ValidationFailed.newBuilder().setHeader(Participants.replyTo(request))
                .setReport(Participants.report(ValidationOutcome.FAILED, List.of(missing))).setReason("1 error").build());
        JsonPath failed = awaitState(id, "FAILED");
        assertTrue(failed.getString("reason").contains("structure.required-files"), failed.getString("reason"));
        assertEquals(List.of(), participants.commandsDuring(id, Duration.ofSeconds(1)));
        participants.next(id, DeploymentFailed.class);
    }

    @ParameterizedTest(name = "{0} fails → {1}, compensations [{2}]")
    @CsvSource(delimiter = '|', value = {
            "backup-database  | FAILED          | ",
            "apply-migrations | NEEDS_ATTENTION | ",
            "deploy-green     | ROLLED_BACK     | undo-apply-migrations",
            "shift-traffic    | ROLLED_BACK     | undo-deploy-green undo-apply-migrations",
            "promote-green    | ROLLED_BACK     | undo-shift-traffic undo-deploy-green undo-apply-migrations" })
    void shouldIssueTheExactReverseCompensationsWhenAStepFails(String failing, String endState, String compensations) {
        String project = project();
        String id = post(body(project, "staging", Manifests.of(project, true, "strategy: blue-green")));
        SpecificRecord command = participants.answerUntil(id, failing);
        participants.send(Participants.failure(command, "BOOM", failing + " broke"));
        List<String> expected = compensations == null ? List.of() : List.of(compensations.split(" "));
        List<String> issued = new ArrayList<>();
        for (String ignored : expected) {
            SpecificRecord undo = participants.nextCommand(id);
            issued.add(Participants.step(undo));
            participants.send(Participants.success(undo));
        }
        assertEquals(expected, issued);
        JsonPath end = awaitState(id, endState);
        assertTrue(end.getString("reason").contains(failing + " broke"), end.getString("reason"));
        assertEquals(List.of(), participants.commandsDuring(id, Duration.ofMillis(500)), "nothing after the end");
    }

    @Test
    void shouldSendAPrismaProjectsToolAndDefaultPathAndLeaveAFailedPrismaMigrationToAPerson() {
        String project = project();
        String manifest = Manifests.of(project, true, "strategy: blue-green").replace("    path: database/migrations\n", "    tool: prisma\n");
        String id = post(body(project, "staging", manifest));
        ApplyMigrations apply = assertInstanceOf(ApplyMigrations.class, participants.answerUntil(id, "apply-migrations"));
        assertEquals("prisma", apply.getMigrationsTool());
        assertEquals("prisma/migrations", apply.getMigrationsPath(), "Prisma's own folder when the manifest names no path");

        participants.send(Participants.failure(apply, "MIGRATION_FAILED", "20260111120000_add_posts/migration.sql failed"));
        JsonPath end = awaitState(id, "NEEDS_ATTENTION");
        assertTrue(end.getString("reason").contains("20260111120000_add_posts"), end.getString("reason"));
        assertEquals(List.of(), participants.commandsDuring(id, Duration.ofMillis(500)), "nothing restored without a person (decision matrix)");
    }

    @Test
    void shouldRollBackWhenThresholdBreachedDuringCanary() {
        String project = project();
        String id = post(body(project, "staging", Manifests.of(project, false, "strategy: canary")));
        StartWatch watch = (StartWatch) participants.answerUntil(id, "watch-canary-25");
        assertEquals(25, watch.getTrafficPercent());
        // The watch points at the endpoints the executor reported in GreenDeployed (runway.watch.*-url-template).
        WatchTarget target = watch.getTargets().get(0);
        assertEquals("http://" + target.getComponent() + "-green.test:3000/q/metrics", target.getMetricsUrl());
        assertEquals("http://" + target.getComponent() + "-green.test:3000/health", target.getHealthUrl());
        assertEquals("http://" + target.getComponent() + "-blue.test:3000/q/metrics", target.getBaselineMetricsUrl());
        participants.send(Participants.breach(watch, IncidentPriority.P0));
        SpecificRecord first = participants.nextCommand(id);
        assertInstanceOf(RollbackTraffic.class, first);
        participants.send(Participants.success(first));
        SpecificRecord second = participants.nextCommand(id);
        assertInstanceOf(RemoveGreen.class, second);
        participants.send(Participants.success(second));
        JsonPath end = awaitState(id, "ROLLED_BACK");
        assertTrue(end.getString("reason").contains("error_rate 12.5"), end.getString("reason"));
        DeploymentRolledBack rolledBack = participants.next(id, DeploymentRolledBack.class);
        assertEquals(List.of("undo-shift-traffic-10", "undo-deploy-green"), rolledBack.getCompensations());
    }

    @Test
    void shouldRecommendButNotRollBackOnAP1Breach() {
        String project = project();
        String id = post(body(project, "staging", Manifests.of(project, false, "strategy: blue-green")));
        StartWatch watch = (StartWatch) participants.answerUntil(id, "monitor");
        participants.send(Participants.breach(watch, IncidentPriority.P1));
        NeedsAttention told = participants.next(id, NeedsAttention.class);
        assertTrue(told.getReason().contains("manual rollback recommended"), told.getReason());
        assertEquals(List.of(), participants.commandsDuring(id, Duration.ofSeconds(1)));
        assertEquals("MONITORING", get(id).getString("state"));
        // The SRE decides: manual rollback compensates in reverse order.
        given().header("Authorization", SRE).contentType(ContentType.JSON).body(Map.of("reason", "p1 on checkout"))
                .when().post("/deployments/" + id + "/rollback").then().statusCode(200);
        List<String> undo = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            SpecificRecord c = participants.nextCommand(id);
            if (c instanceof StopWatch) {
                i--;
                continue;
            }
            undo.add(Participants.step(c));
            participants.send(Participants.success(c));
        }
        assertEquals(List.of("undo-shift-traffic", "undo-deploy-green"), undo);
        awaitState(id, "ROLLED_BACK");
    }

    @Test
    void shouldIgnoreDuplicateAndOutOfOrderReplies() {
        String project = project();
        String id = post(body(project, "staging", Manifests.of(project, false, "strategy: blue-green")));
        SpecificRecord deploy = participants.answerUntil(id, "deploy-green");
        // A reply for a step not yet commanded, sent early: ignored.
        participants.send(TrafficShifted.newBuilder().setHeader(Participants.replyTo(deploy)).setStep("shift-traffic")
                .setPercent(100).setSlot("green").build());
        SpecificRecord reply = Participants.success(deploy);
        participants.send(reply);
        participants.send(reply); // redelivery: same event id
        participants.send(Participants.success(deploy)); // a second, distinct reply for the same step
        SpecificRecord next = participants.nextCommand(id);
        assertEquals("verify-green", Participants.step(next));
        assertEquals(List.of(), participants.commandsDuring(id, Duration.ofSeconds(1)), "no step issued twice");
        JsonPath view = get(id);
        assertEquals("verify-green", view.getString("currentStep"));
        assertTrue(view.getList("events.action").contains("ignored"));
        participants.send(Participants.success(next));
        participants.answerUntil(id, null);
        awaitState(id, "SUCCEEDED");
    }

    @Test
    void shouldWalkADryRunWithoutSideEffects() {
        String project = project();
        Map<String, Object> body = body(project, "staging", Manifests.of(project, true, "strategy: blue-green"));
        body.put("dryRun", true);
        String id = post(body);
        participants.answerUntil(id, "shift-traffic");
        JsonPath view = get(id);
        assertNull(view.get("fencingToken"), "a dry run takes no lock");
        SpecificRecord shift = participants.records(id).stream().filter(ShiftTraffic.class::isInstance).findFirst().orElseThrow();
        participants.send(Participants.success(shift));
        participants.answerUntil(id, null);
        JsonPath done = awaitState(id, "SUCCEEDED");
        assertEquals(List.of("validate", "backup-database", "apply-migrations", "deploy-green", "shift-traffic", "promote-green"),
                commandSteps(id), "same saga, but watches are skipped");
        participants.records(id).stream().filter(r -> r.getSchema().getField("dryRun") != null)
                .forEach(r -> assertEquals(true, r.get(r.getSchema().getField("dryRun").pos()), Participants.label(r)));
        assertTrue(participants.records(id).stream().noneMatch(DeploymentStarted.class::isInstance));
        assertTrue(done.getList("steps.name").contains("verify-green"), "the plan still lists every step");
        given().header("Authorization", DEPLOYER).when().get("/projects/" + project + "/environments/staging").then().statusCode(200)
                .body("live.find { it.deploymentId == '" + id + "' }", nullValue());
    }

    @Test
    void shouldStopASagaWhoseExecutorWentSilentAtTheDeadline() {
        String project = project();
        String id = post(body(project, "staging", Manifests.of(project, true, "strategy: blue-green")));
        participants.answerUntil(id, "backup-database");
        // Nobody answers the backup: the watchdog acts once the step's deadline (8 s in tests) passes.
        JsonPath failed = awaitState(id, "FAILED");
        assertTrue(failed.getString("reason").contains("backup-database missed its deadline"), failed.getString("reason"));
        int at = failed.getList("events.actor").indexOf("watchdog");
        assertTrue(at >= 0, "the audit log says who stopped it");
        given().header("Authorization", DEPLOYER).when().get("/projects/" + project + "/environments/staging").then().statusCode(200)
                .body("lock.deploymentId", not(equalTo(id)));
    }
}
