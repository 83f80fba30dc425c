package dev.runway.orchestrator.support;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Predicate;

import org.apache.avro.generic.GenericRecord;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.awaitility.core.ConditionFactory;
import org.awaitility.core.ConditionTimeoutException;
import org.awaitility.core.TerminalFailureException;

import dev.runway.events.ApplyMigrations;
import dev.runway.events.BackupDatabase;
import dev.runway.events.CheckResult;
import dev.runway.events.CheckStatus;
import dev.runway.events.ComponentSpec;
import dev.runway.events.DatabaseBackedUp;
import dev.runway.events.DatabaseRestored;
import dev.runway.events.Decommission;
import dev.runway.events.Decommissioned;
import dev.runway.events.DeployGreen;
import dev.runway.events.DeployRequested;
import dev.runway.events.DeploymentCancelled;
import dev.runway.events.DeploymentFailed;
import dev.runway.events.DeploymentRolledBack;
import dev.runway.events.DeploymentStarted;
import dev.runway.events.DeploymentSucceeded;
import dev.runway.events.Envelopes;
import dev.runway.events.EventHeader;
import dev.runway.events.GreenDeployed;
import dev.runway.events.GreenPromoted;
import dev.runway.events.GreenRemoved;
import dev.runway.events.HealthCheckPassed;
import dev.runway.events.IncidentPriority;
import dev.runway.events.MigrationApplied;
import dev.runway.events.PromoteGreen;
import dev.runway.events.ReleaseEndpoint;
import dev.runway.events.RemoveGreen;
import dev.runway.events.RestoreDatabase;
import dev.runway.events.RollOut;
import dev.runway.events.RollbackDecided;
import dev.runway.events.RollbackTraffic;
import dev.runway.events.RolledOut;
import dev.runway.events.RolloutUndone;
import dev.runway.events.Sample;
import dev.runway.events.ShiftTraffic;
import dev.runway.events.StartWatch;
import dev.runway.events.StepFailed;
import dev.runway.events.StopWatch;
import dev.runway.events.ThresholdBreached;
import dev.runway.events.Topics;
import dev.runway.events.TrafficRolledBack;
import dev.runway.events.TrafficShifted;
import dev.runway.events.UndoRollout;
import dev.runway.events.ValidationFailed;
import dev.runway.events.ValidationOutcome;
import dev.runway.events.ValidationPassed;
import dev.runway.events.ValidationReport;
import dev.runway.testsupport.AvroKafka;
import dev.runway.testsupport.Backbone;

/**
 * Plays the validator, the executor and the health-watcher on the real broker: reads what the
 * orchestrator sends (and the public lifecycle topic) and produces replies as those services would.
 */
public final class Participants implements AutoCloseable {

    public static final Duration WAIT = Duration.ofSeconds(30);
    private static final Duration POLL = Duration.ofMillis(100);

    private final KafkaConsumer<String, Object> consumer;
    private final KafkaProducer<String, Object> producer;
    /** Every record seen so far, in arrival order. */
    private final List<SpecificRecord> seen = new ArrayList<>();
    private final Set<String> taken = new HashSet<>();

    public Participants() {
        Backbone backbone = Backbone.get();
        this.consumer = AvroKafka.consumerAtEnd(backbone, Topics.VALIDATION_REQUESTS, Topics.EXECUTOR_COMMANDS,
                Topics.HEALTH_COMMANDS, Topics.DEPLOYMENTS);
        this.producer = AvroKafka.producer(backbone);
    }

    /** Waits for the next record of {@code type} for the deployment that was not taken before. */
    public <T extends SpecificRecord> T next(String deploymentId, Class<T> type) {
        return next(deploymentId, type, r -> true);
    }

    public <T extends SpecificRecord> T next(String deploymentId, Class<T> type, Predicate<T> match) {
        return type.cast(take(deploymentId, r -> type.isInstance(r) && match.test(type.cast(r)), "no " + type.getSimpleName()));
    }

    /** Any command to a participant (validation request, executor or health command) not yet taken. */
    public SpecificRecord nextCommand(String deploymentId) {
        return take(deploymentId, Participants::isCommand, "no command");
    }

    /** Reads until a record of the deployment, not taken before, is {@code wanted}; takes it. */
    private SpecificRecord take(String deploymentId, Predicate<SpecificRecord> wanted, String missing) {
        try {
            SpecificRecord found = reading(missing + " for " + deploymentId).atMost(WAIT)
                    .until(() -> untaken(deploymentId, wanted).orElseGet(() -> {
                        poll(POLL);
                        return null;
                    }), Objects::nonNull);
            taken.add(Envelopes.headerOf(found).getEventId());
            return found;
        } catch (ConditionTimeoutException e) {
            throw new AssertionError(missing + " for " + deploymentId + " within " + WAIT + "; saw " + names(deploymentId), e);
        }
    }

    private Optional<SpecificRecord> untaken(String deploymentId, Predicate<SpecificRecord> wanted) {
        return seen.stream().filter(r -> deploymentId.equals(Envelopes.headerOf(r).getDeploymentId())
                && !taken.contains(Envelopes.headerOf(r).getEventId()) && wanted.test(r)).findFirst();
    }

    /**
     * Reads for {@code quiet} and returns the command names that arrived for the deployment meanwhile;
     * the first one ends the reading early.
     */
    public List<String> commandsDuring(String deploymentId, Duration quiet) {
        int before = seen.size();
        try {
            reading("quiet for " + deploymentId).during(quiet).atMost(quiet.plus(WAIT))
                    .failFast("a command for " + deploymentId, () -> !commandsSince(before, deploymentId).isEmpty())
                    .until(() -> {
                        poll(POLL);
                        return true;
                    });
        } catch (TerminalFailureException e) {
            // A command arrived: the caller's assertion on the list shows which.
        }
        return commandsSince(before, deploymentId);
    }

    private List<String> commandsSince(int before, String deploymentId) {
        return seen.subList(before, seen.size()).stream().filter(Participants::isCommand)
                .filter(r -> deploymentId.equals(Envelopes.headerOf(r).getDeploymentId()))
                .map(Participants::label).toList();
    }

    /** Awaitility reading the topics: in this thread, since a KafkaConsumer may only be used by one. */
    private static ConditionFactory reading(String what) {
        return Waits.await(what).pollInSameThread().pollInterval(Duration.ofMillis(1));
    }

    /** Everything seen for the deployment, as "Type(step)" labels in order. */
    public List<String> names(String deploymentId) {
        return seen.stream().filter(r -> deploymentId.equals(Envelopes.headerOf(r).getDeploymentId()))
                .map(Participants::label).toList();
    }

    public List<SpecificRecord> records(String deploymentId) {
        return seen.stream().filter(r -> deploymentId.equals(Envelopes.headerOf(r).getDeploymentId())).toList();
    }

    /** Step → distinct command event ids seen for the deployment, in the order the steps were first commanded. */
    public Map<String, Set<String>> commandEventIds(String deploymentId) {
        Map<String, Set<String>> byStep = new LinkedHashMap<>();
        for (SpecificRecord r : records(deploymentId)) {
            if (isCommand(r) && !(r instanceof StopWatch)) {
                byStep.computeIfAbsent(step(r), s -> new LinkedHashSet<>()).add(Envelopes.headerOf(r).getEventId());
            }
        }
        return byStep;
    }

    public static String label(SpecificRecord r) {
        var field = r.getSchema().getField("step");
        return r.getSchema().getName() + (field == null ? "" : "(" + r.get(field.pos()) + ")");
    }

    public static boolean isCommand(SpecificRecord r) {
        return r instanceof DeployRequested || r instanceof StartWatch || r instanceof StopWatch
                || r.getSchema().getField("fencingToken") != null && !(r instanceof DeploymentStarted);
    }

    private void poll(Duration timeout) {
        for (ConsumerRecord<String, Object> record : consumer.poll(timeout)) {
            if (record.value() instanceof GenericRecord g) {
                try {
                    @SuppressWarnings("unchecked")
                    Class<? extends SpecificRecord> type = (Class<? extends SpecificRecord>) Class.forName(g.getSchema().getFullName());
                    SpecificRecord specific = AvroKafka.toSpecific(g, type);
                    // DeployRequested travels on two topics: the validator's copy is the "command".
                    if (specific instanceof DeployRequested && record.topic().equals(Topics.DEPLOYMENTS)) {
                        continue;
                    }
                    seen.add(specific);
                } catch (ClassNotFoundException e) {
                    throw new IllegalStateException(e);
                }
            }
        }
    }

    // ---- replies ---------------------------------------------------------------------------------

    public void send(SpecificRecord reply) {
        String topic;
        if (reply instanceof ValidationPassed || reply instanceof ValidationFailed) {
            topic = Topics.VALIDATION_RESULTS;
        } else if (reply instanceof HealthCheckPassed || reply instanceof ThresholdBreached || reply instanceof RollbackDecided) {
            topic = Topics.HEALTH_DECISIONS;
        } else {
            topic = Topics.EXECUTOR_RESULTS;
        }
        AvroKafka.send(producer, topic, Envelopes.headerOf(reply).getDeploymentId(), reply);
    }

    public static EventHeader replyTo(SpecificRecord command) {
        return Envelopes.causedBy(Envelopes.headerOf(command), Clock.systemUTC());
    }

    public static ValidationReport report(ValidationOutcome outcome, List<CheckResult> checks) {
        int errors = (int) checks.stream().filter(c -> c.getStatus() == CheckStatus.FAILED).count();
        return ValidationReport.newBuilder().setOutcome(outcome).setErrors(errors).setWarnings(0).setChecks(checks)
                .setDurationMs(3).build();
    }

    /** The success reply a participant sends for {@code command}. */
    public static SpecificRecord success(SpecificRecord command) {
        EventHeader h = replyTo(command);
        if (command instanceof DeployRequested) {
            return ValidationPassed.newBuilder().setHeader(h).setReport(report(ValidationOutcome.PASSED, List.of())).build();
        }
        if (command instanceof StartWatch w) {
            return HealthCheckPassed.newBuilder().setHeader(h).setWatchId(w.getWatchId()).setStep(w.getStep())
                    .setPhase(w.getPhase()).setSamples(3).setSummary("error rate 0.0 %, p99 12 ms").build();
        }
        String step = step(command);
        if (command instanceof BackupDatabase) {
            return DatabaseBackedUp.newBuilder().setHeader(h).setStep(step).setBackupId("backup-" + UUID.randomUUID())
                    .setLocation("/backups/x.dump").setSizeBytes(1024).setVerified(true).build();
        }
        if (command instanceof ApplyMigrations) {
            return MigrationApplied.newBuilder().setHeader(h).setStep(step)
                    .setApplied(List.of("20261101000000_create_orders.sql")).setSchemaVersion("20261101000000").build();
        }
        if (command instanceof DeployGreen g) {
            return GreenDeployed.newBuilder().setHeader(h).setStep(step).setVersion(g.getVersion()).setSlot("green")
                    .setComponents(g.getComponents().stream().map(ComponentSpec::getName).toList())
                    .setEndpoints(g.getComponents().stream().map(c -> ReleaseEndpoint.newBuilder().setComponent(c.getName())
                            .setUrl("http://" + c.getName() + "-green.test:" + c.getPort())
                            .setBaselineUrl("http://" + c.getName() + "-blue.test:" + c.getPort())
                            .setFront(front(h, c.getName())).build()).toList())
                    .build();
        }
        if (command instanceof RollOut r) {
            return RolledOut.newBuilder().setHeader(h).setStep(step).setVersion(r.getVersion())
                    .setComponents(r.getComponents().stream().map(ComponentSpec::getName).toList()).build();
        }
        if (command instanceof ShiftTraffic t) {
            return TrafficShifted.newBuilder().setHeader(h).setStep(step).setPercent(t.getPercent()).setSlot("green").build();
        }
        if (command instanceof PromoteGreen) {
            return GreenPromoted.newBuilder().setHeader(h).setStep(step).setSlot("green").build();
        }
        if (command instanceof Decommission d) {
            return Decommissioned.newBuilder().setHeader(h).setStep(step).setSlot(d.getSlot()).build();
        }
        if (command instanceof RemoveGreen) {
            return GreenRemoved.newBuilder().setHeader(h).setStep(step).setSlot("green").build();
        }
        if (command instanceof UndoRollout u) {
            return RolloutUndone.newBuilder().setHeader(h).setStep(step).setComponents(u.getComponents()).build();
        }
        if (command instanceof RollbackTraffic) {
            return TrafficRolledBack.newBuilder().setHeader(h).setStep(step).setSlot("blue").build();
        }
        if (command instanceof RestoreDatabase) {
            return DatabaseRestored.newBuilder().setHeader(h).setStep(step).setMethod("down-migrations").setBackupId(null).build();
        }
        throw new IllegalArgumentException("no success reply for " + command.getSchema().getName());
    }

    /** The front the simulated executor reports for a component: the project environment's own. */
    public static String front(EventHeader h, String component) {
        return "http://" + h.getProject() + "-" + h.getEnvironment().name().toLowerCase(Locale.ROOT) + ".front.test/"
                + component;
    }

    public static StepFailed failure(SpecificRecord command, String code, String reason) {
        return StepFailed.newBuilder().setHeader(replyTo(command)).setStep(step(command)).setCode(code).setReason(reason)
                .setRetryable(false).build();
    }

    public static ThresholdBreached breach(StartWatch watch, IncidentPriority priority) {
        return ThresholdBreached.newBuilder().setHeader(replyTo(watch)).setWatchId(watch.getWatchId()).setStep(watch.getStep())
                .setMetric("error_rate").setValue(12.5).setThreshold(watch.getThresholds().getErrorRatePercent())
                .setWindowSeconds(watch.getThresholds().getSustainedSeconds()).setSource("http://green/q/metrics")
                .setSamples(List.of(Sample.newBuilder().setAt(Instant.now().truncatedTo(ChronoUnit.MILLIS)).setValue(12.5).build()))
                .setPriority(priority).build();
    }

    public static String step(SpecificRecord command) {
        var field = command.getSchema().getField("step");
        return field == null ? "validate" : String.valueOf(command.get(field.pos()));
    }

    /**
     * Answers every command of the deployment with success until {@code stopAt} (a step name) is
     * commanded, which is returned unanswered; or, with {@code stopAt} null, until the deployment
     * ends (returns null). Commands sent after the end (a Decommission) are left to the test.
     */
    public SpecificRecord answerUntil(String deploymentId, String stopAt) {
        while (true) {
            SpecificRecord command = nextCommandOrEnd(deploymentId);
            if (command == null) {
                return null;
            }
            if (command instanceof StopWatch) {
                continue;
            }
            if (step(command).equals(stopAt)) {
                return command;
            }
            send(success(command));
        }
    }

    /**
     * The next command not yet taken, or null once the deployment's last lifecycle event arrived with none pending
     * (that event is not taken: a test may still ask for it).
     */
    private SpecificRecord nextCommandOrEnd(String deploymentId) {
        try {
            Optional<SpecificRecord> found = reading("a command or the end of " + deploymentId).atMost(WAIT).until(() -> {
                Optional<SpecificRecord> command = untaken(deploymentId, Participants::isCommand);
                if (command.isPresent() || records(deploymentId).stream().anyMatch(Participants::isEnd)) {
                    return command;
                }
                poll(POLL);
                return null;
            }, Objects::nonNull);
            found.ifPresent(command -> taken.add(Envelopes.headerOf(command).getEventId()));
            return found.orElse(null);
        } catch (ConditionTimeoutException e) {
            throw new AssertionError("no command or end for " + deploymentId + " within " + WAIT + "; saw " + names(deploymentId), e);
        }
    }

    /** A lifecycle event a saga ends with (NeedsAttention is left out: it is also sent for a recommendation). */
    public static boolean isEnd(SpecificRecord r) {
        return r instanceof DeploymentSucceeded || r instanceof DeploymentFailed || r instanceof DeploymentRolledBack
                || r instanceof DeploymentCancelled;
    }

    @Override
    public void close() {
        consumer.close();
        producer.close();
    }
}
