package dev.runway.orchestrator.messaging;

import java.nio.charset.StandardCharsets;

import jakarta.enterprise.context.ApplicationScoped;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

import dev.runway.events.Topics;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;

/** Sends an inbound record that could not be applied, unchanged, to {@code <topic>.dlq} with the reason in headers. */
@ApplicationScoped
public class DeadLetters {

    public static final String CHANNEL = "orchestrator-dead-letters";
    private static final Logger LOG = Logger.getLogger(DeadLetters.class);

    private final MutinyEmitter<byte[]> emitter;

    public DeadLetters(@Channel(CHANNEL) MutinyEmitter<byte[]> emitter) {
        this.emitter = emitter;
    }

    public Uni<Void> send(ConsumerRecord<String, byte[]> record, Throwable why) {
        String reason = why.getClass().getSimpleName() + ": " + String.valueOf(why.getMessage());
        LOG.warnf("dead-lettering %s-%d@%d: %s", record.topic(), record.partition(), record.offset(), reason);
        RecordHeaders headers = new RecordHeaders(record.headers().toArray());
        headers.add("runway-dlq-reason", bytes(reason));
        headers.add("runway-dlq-topic", bytes(record.topic()));
        headers.add("runway-dlq-partition", bytes(Integer.toString(record.partition())));
        headers.add("runway-dlq-offset", bytes(Long.toString(record.offset())));
        OutgoingKafkaRecordMetadata<String> metadata = OutgoingKafkaRecordMetadata.<String>builder()
                .withTopic(record.topic() + Topics.DLQ_SUFFIX).withKey(record.key()).withHeaders(headers).build();
        return emitter.sendMessage(Message.of(record.value() == null ? new byte[0] : record.value()).addMetadata(metadata));
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
