package dev.runway.messaging.inbound;

import java.time.Duration;
import java.util.function.Consumer;
import java.util.function.Function;

import jakarta.annotation.PreDestroy;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.vertx.core.Context;
import io.vertx.core.Vertx;

/**
 * The one way every Runway consumer takes a record in: decode it ({@link InboundDecoder}), hand it to
 * the service, and apply one failure rule. A poison record (undecodable, of a type the topic does not
 * carry, refused as invalid: {@link PoisonRecordException}) goes to {@code <topic>.dlq} at once, byte for
 * byte with the reason ({@link DeadLetter}). Any other failure (Postgres, Redis, the registry, a
 * conflicting writer) is not the record's fault: it is retried with backoff for as long as it takes, so an
 * outage of any length loses nothing and dead-letters nothing. Meanwhile {@link InboundRetries} counts the
 * tries and turns the service's readiness DOWN ({@link InboundReadiness}).
 *
 * <p>A bean in every service: it decodes with the registry the Kafka connector uses, and dead-letters
 * through the channel {@value #DEAD_LETTERS}, which each service configures (a Kafka sink with a
 * byte-array serializer; the record's own metadata names {@code <topic>.dlq}).
 */
@Singleton
public class InboundPipeline {

    /** The outgoing channel every service declares for its dead letters. */
    public static final String DEAD_LETTERS = "runway-dead-letters";

    private static final Logger LOG = Logger.getLogger(InboundPipeline.class);

    private final InboundDecoder decoder;
    private final Function<Message<byte[]>, Uni<Void>> deadLetters;
    private final InboundRetries retries;
    private final Duration firstBackoff;
    private final Duration maxBackoff;

    @Inject
    public InboundPipeline(@ConfigProperty(name = "mp.messaging.connector.smallrye-kafka.apicurio.registry.url") String registryUrl,
            @Channel(DEAD_LETTERS) MutinyEmitter<byte[]> deadLetters, InboundRetries retries, InboundConfig config) {
        this(new InboundDecoder(registryUrl), deadLetters::sendMessage, retries, config.firstBackoff(), config.maxBackoff());
    }

    /** @param deadLetters sends a dead-letter message (its metadata names the topic), e.g. a {@code MutinyEmitter::sendMessage} */
    public InboundPipeline(InboundDecoder decoder, Function<Message<byte[]>, Uni<Void>> deadLetters, InboundRetries retries,
            Duration firstBackoff, Duration maxBackoff) {
        this.decoder = decoder;
        this.deadLetters = deadLetters;
        this.retries = retries;
        this.firstBackoff = firstBackoff;
        this.maxBackoff = maxBackoff;
    }

    /**
     * Decodes the record and applies {@code handler} to it under the failure rule. The handler is
     * subscribed again on each retry, so it must be safe to repeat (every Runway handler is idempotent
     * on the record's message id). The returned Uni fails only if the dead-letter write itself fails.
     */
    public Uni<Void> process(ConsumerRecord<String, byte[]> record, Function<SpecificRecord, Uni<Void>> handler) {
        return decode(record).flatMap(decoded -> handler.apply(decoded))
                .onFailure(failure -> !PoisonRecordException.isPoison(failure)).invoke(failure -> retries.failed(record, failure))
                .onFailure(failure -> !PoisonRecordException.isPoison(failure))
                .retry().withBackOff(firstBackoff, maxBackoff).indefinitely()
                .onTermination().invoke(() -> retries.done(record))
                .onFailure().recoverWithUni(failure -> deadLetter(record, failure));
    }

    /** The same rule for a consumer that runs on a worker thread and may block (a {@code @Blocking} method). */
    public void processBlocking(ConsumerRecord<String, byte[]> record, Consumer<SpecificRecord> handler) {
        process(record, decoded -> Uni.createFrom().item(() -> {
            handler.accept(decoded);
            return (Void) null;
        })).await().indefinitely();
    }

    @PreDestroy
    void close() {
        decoder.close();
    }

    private Uni<SpecificRecord> decode(ConsumerRecord<String, byte[]> record) {
        Context context = Vertx.currentContext();
        if (context == null || !Context.isOnEventLoopThread()) {
            return Uni.createFrom().item(() -> decoder.decode(record.topic(), record.headers(), record.value()));
        }
        // The registry client blocks (and answers on an event loop): decode on a worker, continue on this context.
        return Uni.createFrom().completionStage(() -> context.<SpecificRecord>executeBlocking(
                () -> decoder.decode(record.topic(), record.headers(), record.value()), false).toCompletionStage());
    }

    private Uni<Void> deadLetter(ConsumerRecord<String, byte[]> record, Throwable why) {
        LOG.warnf("dead-lettering %s-%d@%d: %s", record.topic(), record.partition(), record.offset(), DeadLetter.reason(why));
        return deadLetters.apply(DeadLetter.of(record, why));
    }
}
