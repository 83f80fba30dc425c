package dev.runway.messaging.inbound;

import java.nio.charset.StandardCharsets;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.eclipse.microprofile.reactive.messaging.Message;

import dev.runway.events.Topics;
import dev.runway.messaging.Redaction;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;

/**
 * The one dead-letter format of every Runway consumer: the record's original key, headers and bytes
 * on {@code <topic>.dlq}, plus the headers SmallRye's own {@code dead-letter-queue} failure strategy
 * writes ({@code dead-letter-reason}, {@code -cause}, {@code -exception-class-name}, {@code -topic},
 * {@code -partition}, {@code -offset}); reason and cause pass through {@link Redaction}. A service that dead-letters by hand and one that lets the
 * connector do it therefore produce records that one tool can read.
 */
public final class DeadLetter {

    public static final String REASON = "dead-letter-reason";
    public static final String CAUSE = "dead-letter-cause";
    public static final String EXCEPTION_CLASS_NAME = "dead-letter-exception-class-name";
    public static final String TOPIC = "dead-letter-topic";
    public static final String PARTITION = "dead-letter-partition";
    public static final String OFFSET = "dead-letter-offset";

    private DeadLetter() {
    }

    /** The message to send for a record that could not be processed, addressed to its topic's DLQ. */
    public static Message<byte[]> of(ConsumerRecord<String, byte[]> record, Throwable why) {
        RecordHeaders headers = new RecordHeaders();
        if (record.headers() != null) {
            for (Header header : record.headers()) {
                if (!header.key().startsWith("dead-letter-")) {
                    headers.add(header);
                }
            }
        }
        headers.add(REASON, bytes(reason(why)));
        if (why.getCause() != null) {
            headers.add(CAUSE, bytes(String.valueOf(Redaction.redact(why.getCause().getMessage()))));
        }
        headers.add(EXCEPTION_CLASS_NAME, bytes(why.getClass().getName()));
        headers.add(TOPIC, bytes(record.topic()));
        headers.add(PARTITION, bytes(Integer.toString(record.partition())));
        headers.add(OFFSET, bytes(Long.toString(record.offset())));
        OutgoingKafkaRecordMetadata<String> metadata = OutgoingKafkaRecordMetadata.<String>builder()
                .withTopic(record.topic() + Topics.DLQ_SUFFIX).withKey(record.key()).withHeaders(headers).build();
        return Message.of(record.value() == null ? new byte[0] : record.value()).addMetadata(metadata);
    }

    /**
     * The reason in words: the exception's message, or its type when it has none, through {@link Redaction}: a
     * failure message may quote a URL with a token or a connection string, and DLQs are read by people.
     */
    public static String reason(Throwable why) {
        String message = why.getMessage();
        return message == null || message.isBlank() ? why.getClass().getSimpleName() : Redaction.redact(message);
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
