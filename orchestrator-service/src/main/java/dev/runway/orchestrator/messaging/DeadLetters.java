package dev.runway.orchestrator.messaging;

import jakarta.enterprise.context.ApplicationScoped;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.jboss.logging.Logger;

import dev.runway.messaging.inbound.DeadLetter;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;

/**
 * Sends an inbound record that can never be applied to {@code <topic>.dlq}, in the one format every
 * Runway consumer writes ({@link DeadLetter}: original key, headers and bytes plus SmallRye's
 * {@code dead-letter-*} headers).
 */
@ApplicationScoped
public class DeadLetters {

    public static final String CHANNEL = "orchestrator-dead-letters";
    private static final Logger LOG = Logger.getLogger(DeadLetters.class);

    private final MutinyEmitter<byte[]> emitter;

    public DeadLetters(@Channel(CHANNEL) MutinyEmitter<byte[]> emitter) {
        this.emitter = emitter;
    }

    public Uni<Void> send(ConsumerRecord<String, byte[]> record, Throwable why) {
        LOG.warnf("dead-lettering %s-%d@%d: %s", record.topic(), record.partition(), record.offset(), DeadLetter.reason(why));
        return emitter.sendMessage(DeadLetter.of(record, why));
    }
}
