package dev.runway.executor.messaging;

import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

import org.apache.kafka.clients.consumer.ConsumerInterceptor;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;

/**
 * Stamps each command with the moment the consumer fetched it (header {@value #HEADER}), before it waits for a worker
 * or for its project environment's lane: a command's age is counted up to then ({@code CommandAge}). A Kafka consumer
 * interceptor, so the stamp is taken in the poll itself (configured as the channel's {@code interceptor.classes}).
 */
public class ReceivedAt implements ConsumerInterceptor<Object, Object> {

    /** Not a header of the contract: it exists only between this executor's poll and its handler. */
    static final String HEADER = "runway-received-at";

    @Override
    public ConsumerRecords<Object, Object> onConsume(ConsumerRecords<Object, Object> records) {
        byte[] now = ByteBuffer.allocate(Long.BYTES).putLong(System.currentTimeMillis()).array();
        for (ConsumerRecord<Object, Object> record : records) {
            record.headers().remove(HEADER); // a producer cannot set it for us
            record.headers().add(HEADER, now);
        }
        return records;
    }

    /** When the record was fetched; empty if it did not come through the interceptor. */
    static Optional<Instant> of(ConsumerRecord<?, ?> record) {
        Header header = record.headers().lastHeader(HEADER);
        if (header == null || header.value() == null || header.value().length != Long.BYTES) {
            return Optional.empty();
        }
        return Optional.of(Instant.ofEpochMilli(ByteBuffer.wrap(header.value()).getLong()));
    }

    @Override
    public void onCommit(Map<TopicPartition, OffsetAndMetadata> offsets) {
    }

    @Override
    public void close() {
    }

    @Override
    public void configure(Map<String, ?> configs) {
    }
}
