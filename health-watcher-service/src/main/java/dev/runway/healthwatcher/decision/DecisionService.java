package dev.runway.healthwatcher.decision;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import org.apache.avro.specific.SpecificRecord;
import org.jboss.logging.Logger;

import dev.runway.events.Envelopes;
import dev.runway.events.EventHeader;
import dev.runway.events.HealthCheckPassed;
import dev.runway.events.RollbackDecided;
import dev.runway.events.Sample;
import dev.runway.events.StartWatch;
import dev.runway.events.ThresholdBreached;
import dev.runway.healthwatcher.messaging.DecisionPublisher;
import dev.runway.healthwatcher.metrics.WatcherMetrics;
import dev.runway.healthwatcher.rules.Breach;
import dev.runway.healthwatcher.rules.DecisionMatrix;
import dev.runway.healthwatcher.rules.Verdict;
import dev.runway.healthwatcher.store.DecisionRepository;
import dev.runway.healthwatcher.store.DecisionRepository.NewDecision;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;

/**
 * Turns a watch's verdict into records: stored first (the watch's single move out of WATCHING, with
 * its decisions, in one transaction), then sent to the broker in order, then marked published and
 * shown on the stream. A record stored but never acknowledged is sent again at start-up.
 */
@ApplicationScoped
public class DecisionService {

    private static final Logger LOG = Logger.getLogger(DecisionService.class);

    private final DecisionRepository repository;
    private final DecisionPublisher publisher;
    private final DecisionFeed feed;
    private final WatcherMetrics metrics;
    private final Clock clock = Clock.systemUTC();

    public DecisionService(DecisionRepository repository, DecisionPublisher publisher, DecisionFeed feed, WatcherMetrics metrics) {
        this.repository = repository;
        this.publisher = publisher;
        this.feed = feed;
        this.metrics = metrics;
    }

    /** Emits at most once per watch; completes with false when the watch had already ended. */
    public Uni<Boolean> conclude(StartWatch watch, Verdict verdict) {
        Instant now = clock.instant();
        List<Pending> pending = new ArrayList<>();
        String status;
        String reason;
        Instant breachCompletedAt = null;
        if (verdict instanceof Verdict.Breached b) {
            Breach breach = b.breach();
            DecisionMatrix.Decision decision = b.decision();
            ThresholdBreached tb = ThresholdBreached.newBuilder()
                    .setHeader(Envelopes.causedBy(watch.getHeader(), clock))
                    .setWatchId(watch.getWatchId()).setStep(watch.getStep())
                    .setMetric(breach.metric().key()).setValue(breach.value()).setThreshold(breach.threshold())
                    .setWindowSeconds(breach.sustainedSeconds()).setSource(breach.source())
                    .setSamples(breach.samples().stream().map(p -> Sample.newBuilder().setAt(ms(p.at())).setValue(p.value()).build()).toList())
                    .setPriority(decision.priority())
                    .build();
            RollbackDecided rd = RollbackDecided.newBuilder()
                    .setHeader(Envelopes.causedBy(watch.getHeader(), clock))
                    .setWatchId(watch.getWatchId()).setStep(watch.getStep())
                    .setMode(decision.mode()).setPriority(decision.priority()).setReason(decision.reason())
                    .setTimeframeSeconds(decision.timeframeSeconds())
                    .setBreachEventId(tb.getHeader().getEventId())
                    .build();
            pending.add(new Pending(tb, view(watch, tb, breach, decision, null)));
            pending.add(new Pending(rd, view(watch, rd, breach, decision, null)));
            status = "BREACHED";
            reason = decision.reason();
            breachCompletedAt = breach.completedAt();
        } else if (verdict instanceof Verdict.Passed p) {
            HealthCheckPassed hp = HealthCheckPassed.newBuilder()
                    .setHeader(Envelopes.causedBy(watch.getHeader(), clock))
                    .setWatchId(watch.getWatchId()).setStep(watch.getStep()).setPhase(watch.getPhase())
                    .setSamples(p.samples()).setSummary(p.summary())
                    .build();
            pending.add(new Pending(hp, view(watch, hp, null, null, p.summary())));
            status = "PASSED";
            reason = p.summary();
        } else {
            throw new IllegalArgumentException("not a final verdict: " + verdict);
        }
        List<NewDecision> rows = pending.stream().map(pd -> new NewDecision(pd.view.eventId(), pd.view.kind(),
                watch.getHeader().getDeploymentId(), watch.getHeader().getEnvironment().name(), watch.getHeader().getProject(),
                watch.getHeader().getClient(), now, pd.view, bytes(pd.record))).toList();
        Instant completedAt = breachCompletedAt;
        return repository.conclude(watch.getWatchId(), status, reason, now, rows).flatMap(stored -> {
            if (!stored) {
                LOG.infof("watch %s had already ended; no second decision", watch.getWatchId());
                return Uni.createFrom().item(false);
            }
            return Multi.createFrom().iterable(pending)
                    .onItem().transformToUniAndConcatenate(pd -> publisher.publish(pd.record)
                            .invoke(() -> {
                                if (pd.record instanceof ThresholdBreached && completedAt != null) {
                                    metrics.breachToPublish(Duration.between(completedAt, clock.instant()));
                                }
                            })
                            .call(() -> repository.markPublished(pd.view.eventId(), clock.instant()))
                            .invoke(() -> {
                                metrics.decision(pd.view.kind(), pd.view.metric(), pd.view.priority());
                                feed.emit(pd.view);
                            }))
                    .collect().last().replaceWith(true);
        });
    }

    /** Sends again what was stored but never acknowledged (the service stopped in between). */
    public Uni<Integer> republishPending() {
        return repository.unpublished().flatMap(list -> Multi.createFrom().iterable(list)
                .onItem().transformToUniAndConcatenate(u -> publisher.publish(decode(u))
                        .call(() -> repository.markPublished(u.eventId(), clock.instant())))
                .collect().asList().map(List::size));
    }

    private record Pending(SpecificRecord record, DecisionView view) {
    }

    private static DecisionView view(StartWatch watch, SpecificRecord record, Breach breach, DecisionMatrix.Decision decision, String summary) {
        EventHeader h = Envelopes.headerOf(record);
        String kind = record.getSchema().getName();
        List<DecisionView.SampleView> samples = breach == null ? List.of()
                : breach.samples().stream().map(p -> new DecisionView.SampleView(ms(p.at()).toString(), DecisionView.orNull(p.value()))).toList();
        return new DecisionView(h.getEventId(), kind, watch.getWatchId(), h.getDeploymentId(), h.getEnvironment().name(),
                h.getProject(), h.getClient(), watch.getStep(), watch.getVersion(), watch.getPhase().name(), breach == null ? null : breach.component(),
                h.getOccurredAt().toString(), breach == null ? null : breach.metric().key(),
                breach == null ? null : DecisionView.orNull(breach.value()), breach == null ? null : breach.threshold(),
                breach == null ? watch.getWindowSeconds() : breach.sustainedSeconds(), breach == null ? null : breach.source(), samples,
                decision == null ? null : decision.priority().name(),
                record instanceof RollbackDecided rd ? rd.getMode().name() : null,
                record instanceof RollbackDecided rd ? rd.getTimeframeSeconds() : null,
                decision == null ? null : decision.reason(), summary,
                record instanceof RollbackDecided rd ? rd.getBreachEventId() : null, h.getCausationId());
    }

    private static Instant ms(Instant t) {
        return Instant.ofEpochMilli(t.toEpochMilli());
    }

    static byte[] bytes(SpecificRecord record) {
        try {
            ByteBuffer buffer;
            if (record instanceof ThresholdBreached r) {
                buffer = r.toByteBuffer();
            } else if (record instanceof RollbackDecided r) {
                buffer = r.toByteBuffer();
            } else if (record instanceof HealthCheckPassed r) {
                buffer = r.toByteBuffer();
            } else {
                throw new IllegalArgumentException("not a decision: " + record.getSchema().getName());
            }
            byte[] out = new byte[buffer.remaining()];
            buffer.get(out);
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static SpecificRecord decode(DecisionRepository.Unpublished u) {
        ByteBuffer buffer = ByteBuffer.wrap(u.record());
        try {
            return switch (u.kind()) {
                case "ThresholdBreached" -> ThresholdBreached.fromByteBuffer(buffer);
                case "RollbackDecided" -> RollbackDecided.fromByteBuffer(buffer);
                case "HealthCheckPassed" -> HealthCheckPassed.fromByteBuffer(buffer);
                default -> throw new IllegalStateException("unknown decision kind " + u.kind());
            };
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
