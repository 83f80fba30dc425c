package dev.runway.executor.support;

import static org.awaitility.Awaitility.await;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Properties;
import java.util.UUID;

import org.apache.avro.generic.GenericRecord;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.serialization.StringDeserializer;

import dev.runway.events.Envelopes;
import dev.runway.events.Environment;
import dev.runway.events.EventHeader;
import dev.runway.events.StepProgress;
import dev.runway.events.Topics;
import dev.runway.testsupport.AvroKafka;
import dev.runway.testsupport.Backbone;
import io.apicurio.registry.serde.avro.AvroKafkaDeserializer;

/**
 * Plays the orchestrator on the real broker: sends executor commands and collects the executor's
 * replies (by causation id) from runway.executor.results, read from the end.
 */
public final class CommandBus implements AutoCloseable {

    private final KafkaProducer<String, Object> producer;
    private final KafkaConsumer<String, Object> results;
    private final List<GenericRecord> seen = new ArrayList<>();

    public CommandBus() {
        Backbone backbone = Backbone.get();
        this.producer = AvroKafka.producer(backbone);
        this.results = consumerAtEnd(backbone, Topics.EXECUTOR_RESULTS);
    }

    /** A fresh group at the end of {@code topic}, generic records (as any subscriber would read them). */
    static KafkaConsumer<String, Object> consumerAtEnd(Backbone backbone, String topic) {
        Properties props = new Properties();
        props.putAll(AvroKafka.serdeConfig(backbone));
        props.put("apicurio.registry.use-specific-avro-reader", "false");
        props.putAll(backbone.kafkaAdmin());
        props.put("group.id", "executor-test-" + UUID.randomUUID());
        props.put("auto.offset.reset", "latest");
        props.put("key.deserializer", StringDeserializer.class.getName());
        props.put("value.deserializer", AvroKafkaDeserializer.class.getName());
        KafkaConsumer<String, Object> consumer = new KafkaConsumer<>(props);
        consumer.subscribe(List.of(topic));
        // A consumer is used by one thread only: Awaitility polls it on this one.
        await("partitions of " + topic + " assigned").atMost(Duration.ofSeconds(30)).pollInSameThread().pollInterval(Duration.ofMillis(1))
                .until(() -> {
                    consumer.poll(Duration.ofMillis(100));
                    return !consumer.assignment().isEmpty();
                });
        consumer.seekToEnd(consumer.assignment());
        consumer.assignment().forEach(consumer::position);
        return consumer;
    }

    public static EventHeader header(String deploymentId, Environment environment, String project) {
        return Envelopes.first(deploymentId, environment, project, Clock.systemUTC());
    }

    public void send(SpecificRecord command) {
        AvroKafka.send(producer, Topics.EXECUTOR_COMMANDS, Envelopes.headerOf(command).getDeploymentId(), command);
    }

    /** Sends and waits for the one reply of the command (not StepProgress). */
    public SpecificRecord call(SpecificRecord command, Duration timeout) {
        send(command);
        return reply(Envelopes.headerOf(command).getEventId(), timeout);
    }

    public SpecificRecord reply(String commandId, Duration timeout) {
        return replies(commandId, 1, timeout).get(0);
    }

    /** The first {@code count} replies (StepProgress excluded) caused by {@code commandId}, as generated classes. */
    public List<SpecificRecord> replies(String commandId, int count, Duration timeout) {
        return await(count + " repl(ies) to " + commandId).atMost(timeout).pollInSameThread().pollInterval(Duration.ofMillis(1))
                .until(() -> {
                    List<SpecificRecord> found = repliesSeen(commandId);
                    if (found.size() >= count) {
                        return found;
                    }
                    poll();
                    return repliesSeen(commandId);
                }, found -> found.size() >= count).subList(0, count);
    }

    private List<SpecificRecord> repliesSeen(String commandId) {
        List<SpecificRecord> found = new ArrayList<>();
        for (GenericRecord g : seen) {
            if (commandId.equals(causation(g)) && !g.getSchema().getName().equals("StepProgress")) {
                found.add(specific(g));
            }
        }
        return found;
    }

    /** Every StepProgress of the command seen so far (after waiting for its reply). */
    public List<StepProgress> progress(String commandId) {
        poll();
        return seen.stream().filter(g -> commandId.equals(causation(g)) && g.getSchema().getName().equals("StepProgress"))
                .map(g -> AvroKafka.toSpecific(g, StepProgress.class)).toList();
    }

    private void poll() {
        for (ConsumerRecord<String, Object> r : results.poll(Duration.ofMillis(100))) {
            if (r.value() instanceof GenericRecord g) {
                seen.add(g);
            }
        }
    }

    private static String causation(GenericRecord g) {
        Object header = g.get("header");
        return header instanceof GenericRecord h ? Objects.toString(h.get("causationId"), null) : null;
    }

    @SuppressWarnings("unchecked")
    private static SpecificRecord specific(GenericRecord g) {
        try {
            Class<? extends SpecificRecord> type = (Class<? extends SpecificRecord>) Class.forName(g.getSchema().getFullName());
            return AvroKafka.toSpecific(g, type);
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        producer.close();
        results.close();
    }
}
