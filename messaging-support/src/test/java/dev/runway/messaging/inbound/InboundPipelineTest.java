package dev.runway.messaging.inbound;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.junit.jupiter.api.Test;

import dev.runway.events.Environment;
import dev.runway.events.Envelopes;
import dev.runway.events.StopWatch;
import dev.runway.events.Topics;
import dev.runway.testsupport.AvroKafka;
import dev.runway.testsupport.Backbone;
import io.apicurio.registry.serde.avro.AvroKafkaSerializer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;

/** The shared decoder against the real registry, and the one dead-letter format. */
class InboundPipelineTest {

    @Test
    void decodesWhatAServiceSendsAndRefusesGarbageAsPoison() {
        Backbone backbone = Backbone.get();
        StopWatch stop = StopWatch.newBuilder()
                .setHeader(Envelopes.first(UUID.randomUUID().toString(), Environment.STAGING, "ledger", "acme", Clock.systemUTC()))
                .setWatchId("w-1").setReason("test").build();
        byte[] bytes;
        try (AvroKafkaSerializer<StopWatch> serializer = new AvroKafkaSerializer<>()) {
            serializer.configure(AvroKafka.serdeConfig(backbone), false);
            bytes = serializer.serialize(Topics.HEALTH_COMMANDS, stop);
        }
        try (InboundDecoder decoder = new InboundDecoder(backbone.registryApiV3())) {
            assertEquals(stop, decoder.decode(Topics.HEALTH_COMMANDS, new RecordHeaders(), bytes));
            for (byte[] garbage : List.of("not avro".getBytes(StandardCharsets.UTF_8), new byte[] {0, 0, 0, 0, 1},
                    new byte[] {0, 0x7f, 0x7f, 0x7f, 0x7f, 1, 2})) {
                PoisonRecordException e = assertThrows(PoisonRecordException.class,
                        () -> decoder.decode(Topics.HEALTH_COMMANDS, new RecordHeaders(), garbage));
                assertTrue(PoisonRecordException.isPoison(e));
            }
            assertThrows(PoisonRecordException.class, () -> decoder.decode(Topics.HEALTH_COMMANDS, null, null));
        }
    }

    @Test
    void anUnreachableRegistryIsNotTheRecordsFault() throws IOException {
        Backbone backbone = Backbone.get();
        StopWatch stop = StopWatch.newBuilder()
                .setHeader(Envelopes.first(UUID.randomUUID().toString(), Environment.STAGING, "ledger", Clock.systemUTC()))
                .setWatchId("w-2").setReason("test").build();
        byte[] bytes;
        try (AvroKafkaSerializer<StopWatch> serializer = new AvroKafkaSerializer<>()) {
            serializer.configure(AvroKafka.serdeConfig(backbone), false);
            bytes = serializer.serialize(Topics.HEALTH_COMMANDS, stop);
        }
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        try (InboundDecoder decoder = new InboundDecoder("http://127.0.0.1:" + closedPort + "/apis/registry/v3")) {
            RuntimeException failure = assertThrows(RuntimeException.class,
                    () -> decoder.decode(Topics.HEALTH_COMMANDS, new RecordHeaders(), bytes));
            assertFalse(PoisonRecordException.isPoison(failure), "retry, do not dead-letter: " + failure);
        }
    }

    @Test
    void deadLettersKeepTheOriginalBytesKeyAndHeadersAndSaySmallRyesWordsForWhy() {
        RecordHeaders original = new RecordHeaders();
        original.add("ce_id", "e-1".getBytes(StandardCharsets.UTF_8));
        original.add(DeadLetter.REASON, "an older reason".getBytes(StandardCharsets.UTF_8));
        byte[] value = {1, 2, 3};
        ConsumerRecord<String, byte[]> record = new ConsumerRecord<>(Topics.EXECUTOR_RESULTS, 2, 41L, "deployment-1", value);
        original.forEach(h -> record.headers().add(h));

        Message<byte[]> letter = DeadLetter.of(record, new PoisonRecordException("not a Runway record", new IllegalStateException("bad")));
        assertArrayEquals(value, letter.getPayload());
        @SuppressWarnings("unchecked")
        OutgoingKafkaRecordMetadata<String> meta = letter.getMetadata(OutgoingKafkaRecordMetadata.class).orElseThrow();
        assertEquals(Topics.EXECUTOR_RESULTS + Topics.DLQ_SUFFIX, meta.getTopic());
        assertEquals("deployment-1", meta.getKey());
        assertEquals("e-1", header(meta, "ce_id"));
        assertEquals("not a Runway record", header(meta, DeadLetter.REASON));
        assertEquals("bad", header(meta, DeadLetter.CAUSE));
        assertEquals(PoisonRecordException.class.getName(), header(meta, DeadLetter.EXCEPTION_CLASS_NAME));
        assertEquals(Topics.EXECUTOR_RESULTS, header(meta, DeadLetter.TOPIC));
        assertEquals("2", header(meta, DeadLetter.PARTITION));
        assertEquals("41", header(meta, DeadLetter.OFFSET));
        assertEquals(1, count(meta, DeadLetter.REASON), "one reason: an earlier dead-letter's headers are replaced");
        assertNull(DeadLetter.of(new ConsumerRecord<>("t", 0, 0L, null, null), new RuntimeException()).getMetadata(
                OutgoingKafkaRecordMetadata.class).map(m -> ((OutgoingKafkaRecordMetadata<?>) m).getKey()).orElse(null));
    }

    @Test
    void poisonIsDeadLetteredAtOnceAnyOtherFailureIsRetriedUntilItPassesWhileTheRetriesShow() {
        Backbone backbone = Backbone.get();
        byte[] bytes;
        StopWatch stop = StopWatch.newBuilder()
                .setHeader(Envelopes.first(UUID.randomUUID().toString(), Environment.STAGING, "ledger", "acme", Clock.systemUTC()))
                .setWatchId("w-3").setReason("test").build();
        try (AvroKafkaSerializer<StopWatch> serializer = new AvroKafkaSerializer<>()) {
            serializer.configure(AvroKafka.serdeConfig(backbone), false);
            bytes = serializer.serialize(Topics.HEALTH_COMMANDS, stop);
        }
        List<Message<byte[]>> letters = new ArrayList<>();
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        InboundRetries retries = new InboundRetries(meters, Duration.ZERO, Clock.systemUTC());
        InboundPipeline pipeline = new InboundPipeline(new InboundDecoder(backbone.registryApiV3()),
                letter -> Uni.createFrom().voidItem().invoke(() -> letters.add(letter)), retries, Duration.ofMillis(1), Duration.ofMillis(2));
        try {
            AtomicInteger calls = new AtomicInteger();
            ConsumerRecord<String, byte[]> garbage = new ConsumerRecord<>(Topics.HEALTH_COMMANDS, 0, 7L, "k", "nope".getBytes(StandardCharsets.UTF_8));
            pipeline.process(garbage, r -> Uni.createFrom().voidItem().invoke(calls::incrementAndGet)).await().indefinitely();
            assertEquals(0, calls.get(), "an undecodable record never reaches the handler");
            assertEquals(1, letters.size());
            assertEquals(0, retries.count(), "poison is not retried");

            // Longer than any fixed number of tries the pipeline ever had (200): an outage of any length loses nothing.
            int outage = 250;
            List<InboundRetries.Retrying> seen = new ArrayList<>();
            ConsumerRecord<String, byte[]> good = new ConsumerRecord<>(Topics.HEALTH_COMMANDS, 0, 8L, "k", bytes);
            pipeline.process(good, r -> {
                if (calls.incrementAndGet() <= outage) {
                    return Uni.createFrom().failure(new IllegalStateException(
                            "connection to postgres://runway:hunter2pw@db:5432/runway refused"));
                }
                retries.stalled().ifPresent(seen::add);
                return Uni.createFrom().voidItem();
            }).await().indefinitely();
            assertEquals(outage + 1, calls.get(), "retried until the outage passed");
            assertEquals(1, letters.size(), "nothing dead-lettered for an outage");
            InboundRetries.Retrying during = seen.get(0);
            assertEquals(Topics.HEALTH_COMMANDS + "-0@8", during.record());
            assertEquals(outage, during.tries());
            assertTrue(during.reason().contains("postgres://***@db:5432"), during.reason());
            assertFalse(during.reason().contains("hunter2pw"), "the readiness data is redacted: " + during.reason());
            assertEquals(0, retries.count(), "handled: no longer waiting");
            assertTrue(retries.stalled().isEmpty());
            assertEquals(outage, meters.get("runway.inbound.retries").tag("topic", Topics.HEALTH_COMMANDS).counter().count());
            assertEquals(0.0, meters.get("runway.inbound.retrying").gauge().value());

            pipeline.process(good, r -> Uni.createFrom().failure(new PoisonRecordException("watch w-3 names no deployment")))
                    .await().indefinitely();
            assertEquals(2, letters.size(), "refused as invalid by the handler: dead-lettered without retries");
            @SuppressWarnings("unchecked")
            OutgoingKafkaRecordMetadata<String> meta = letters.get(1).getMetadata(OutgoingKafkaRecordMetadata.class).orElseThrow();
            assertEquals("watch w-3 names no deployment", header(meta, DeadLetter.REASON));
            assertArrayEquals(bytes, letters.get(1).getPayload());
        } finally {
            pipeline.close();
        }
    }

    @Test
    void deadLetterReasonsAndCausesPassThroughRedaction() {
        Backbone backbone = Backbone.get();
        String token = "ghp_" + "A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7r8";
        String reason = "clone of https://deployer:" + token + "@git.example.com/acme/shop.git failed";
        String cause = "FATAL: password=Sup3rSecret! for postgres://ana:hunter2pw@db:5432/shop";
        ConsumerRecord<String, byte[]> record = new ConsumerRecord<>(Topics.HEALTH_COMMANDS, 0, 9L, "k",
                "nope".getBytes(StandardCharsets.UTF_8));

        Message<byte[]> direct = DeadLetter.of(record, new PoisonRecordException(reason, new IllegalStateException(cause)));
        List<Message<byte[]>> letters = new ArrayList<>();
        InboundPipeline pipeline = new InboundPipeline(new InboundDecoder(backbone.registryApiV3()),
                letter -> Uni.createFrom().voidItem().invoke(() -> letters.add(letter)),
                new InboundRetries(new SimpleMeterRegistry(), Duration.ofSeconds(10), Clock.systemUTC()), Duration.ofMillis(1), Duration.ofMillis(5));
        try {
            StopWatch stop = StopWatch.newBuilder()
                    .setHeader(Envelopes.first(UUID.randomUUID().toString(), Environment.STAGING, "ledger", "acme", Clock.systemUTC()))
                    .setWatchId("w-4").setReason("test").build();
            byte[] bytes;
            try (AvroKafkaSerializer<StopWatch> serializer = new AvroKafkaSerializer<>()) {
                serializer.configure(AvroKafka.serdeConfig(backbone), false);
                bytes = serializer.serialize(Topics.HEALTH_COMMANDS, stop);
            }
            pipeline.process(new ConsumerRecord<>(Topics.HEALTH_COMMANDS, 0, 10L, "k", bytes),
                    r -> Uni.createFrom().failure(new PoisonRecordException(reason, new IllegalStateException(cause))))
                    .await().indefinitely();
        } finally {
            pipeline.close();
        }
        assertEquals(1, letters.size());
        for (Message<byte[]> letter : List.of(direct, letters.get(0))) {
            @SuppressWarnings("unchecked")
            OutgoingKafkaRecordMetadata<String> meta = letter.getMetadata(OutgoingKafkaRecordMetadata.class).orElseThrow();
            String why = header(meta, DeadLetter.REASON);
            String because = header(meta, DeadLetter.CAUSE);
            assertEquals("clone of https://***@git.example.com/acme/shop.git failed", why, "still says what failed");
            for (String secret : List.of(token, "Sup3rSecret!", "hunter2pw")) {
                assertFalse(why.contains(secret) || because.contains(secret), secret + " in " + why + " / " + because);
            }
            assertTrue(because.startsWith("FATAL: password="), because);
        }
    }

    private static String header(OutgoingKafkaRecordMetadata<String> meta, String key) {
        Header h = meta.getHeaders().lastHeader(key);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

    private static int count(OutgoingKafkaRecordMetadata<String> meta, String key) {
        int n = 0;
        for (Header h : meta.getHeaders()) {
            n += h.key().equals(key) ? 1 : 0;
        }
        return n;
    }
}
