package dev.runway.executor.messaging;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

import dev.runway.events.Topics;
import dev.runway.executor.commands.CommandContext;
import dev.runway.executor.commands.CommandHandler;
import io.apicurio.registry.serde.avro.AvroKafkaDeserializer;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.reactive.messaging.annotations.Blocking;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;

/**
 * Reads {@value Topics#EXECUTOR_COMMANDS} as raw bytes and decodes them itself, so that a record
 * that is not a readable executor command goes to {@code runway.executor.commands.dlq} with its
 * original bytes and the reason in headers, instead of stopping the channel.
 */
@ApplicationScoped
public class CommandConsumer {

    private static final Logger LOG = Logger.getLogger(CommandConsumer.class);
    static final String DLQ = Topics.EXECUTOR_COMMANDS + Topics.DLQ_SUFFIX;

    private final CommandHandler handler;
    private final MutinyEmitter<byte[]> deadLetters;
    private final AvroKafkaDeserializer<Object> deserializer = new AvroKafkaDeserializer<>();
    private final java.util.regex.Pattern projects;
    /** One fair lock per project environment: its commands never overlap. */
    private final Map<String, ReentrantLock> serials = new ConcurrentHashMap<>();

    public CommandConsumer(CommandHandler handler, @Channel(DLQ) MutinyEmitter<byte[]> deadLetters,
            @ConfigProperty(name = "mp.messaging.connector.smallrye-kafka.apicurio.registry.url") String registryUrl,
            dev.runway.executor.config.ExecutorConfig config) {
        this.handler = handler;
        this.projects = java.util.regex.Pattern.compile(config.projects());
        this.deadLetters = deadLetters;
        Map<String, Object> serde = new HashMap<>();
        serde.put("apicurio.registry.url", registryUrl);
        serde.put("apicurio.registry.use-specific-avro-reader", "true");
        deserializer.configure(serde, false);
    }

    /** Commands a previous run left half-done are reported before new ones are read. */
    void onStart(@Observes StartupEvent event) {
        int recovered = handler.recoverInterrupted();
        if (recovered > 0) {
            LOG.warnf("%d command(s) were interrupted by the previous stop and are reported as StepFailed INTERRUPTED", recovered);
        }
    }

    @PreDestroy
    void close() {
        deserializer.close();
    }

    /**
     * Commands of different project environments run at the same time (one project's rollout never
     * waits for another's); those of one project environment one at a time, in arrival order (a
     * fair lock per project environment), as its lock holder sends them. Offsets are committed
     * only up to the oldest unfinished record (the connector's throttled strategy).
     */
    @Incoming(Topics.EXECUTOR_COMMANDS)
    @Blocking(ordered = false)
    public void consume(ConsumerRecord<String, byte[]> record) {
        SpecificRecord command;
        try {
            Object value;
            // Records are handled on several worker threads; the deserializer is shared, decoding is short.
            synchronized (deserializer) {
                value = record.value() == null ? null
                        : deserializer.deserialize(record.topic(), record.headers() == null ? new RecordHeaders() : record.headers(), record.value());
            }
            if (!(value instanceof SpecificRecord specific)) {
                deadLetter(record, "not an Avro record of the contract: " + (value == null ? "empty value" : value.getClass().getName()));
                return;
            }
            command = specific;
            CommandContext.of(command, java.time.Clock.systemUTC());
        } catch (RuntimeException e) {
            deadLetter(record, "undecodable executor command: " + e.getMessage());
            return;
        }
        String project = dev.runway.events.Envelopes.headerOf(command).getProject();
        if (!projects.matcher(project).matches()) {
            LOG.debugf("command for project %s is served by another executor (runway.executor.projects=%s)", project, projects);
            return;
        }
        var header = dev.runway.events.Envelopes.headerOf(command);
        ReentrantLock serial = serials.computeIfAbsent(project + "\n" + header.getEnvironment(), k -> new ReentrantLock(true));
        serial.lock();
        try {
            handler.handle(command);
        } finally {
            serial.unlock();
        }
    }

    private void deadLetter(ConsumerRecord<String, byte[]> record, String reason) {
        LOG.warnf("%s[%d]@%d to %s: %s", record.topic(), record.partition(), record.offset(), DLQ, reason);
        RecordHeaders headers = new RecordHeaders();
        headers.add("dead-letter-reason", reason.getBytes(StandardCharsets.UTF_8));
        headers.add("dead-letter-topic", record.topic().getBytes(StandardCharsets.UTF_8));
        headers.add("dead-letter-partition", Integer.toString(record.partition()).getBytes(StandardCharsets.UTF_8));
        headers.add("dead-letter-offset", Long.toString(record.offset()).getBytes(StandardCharsets.UTF_8));
        deadLetters.sendMessage(Message.of(record.value() == null ? new byte[0] : record.value())
                .addMetadata(OutgoingKafkaRecordMetadata.<String>builder().withKey(record.key()).withHeaders(headers).build()))
                .await().indefinitely();
    }
}
