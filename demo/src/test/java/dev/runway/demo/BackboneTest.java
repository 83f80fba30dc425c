package dev.runway.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

import dev.runway.testsupport.Backbone;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisAPI;

/** The reset steps of {@code prepare}, against the real Kafka, PostgreSQL and Redis. */
class BackboneTest {

    static final Backbone BACKBONE = Backbone.get();

    @Test
    void groupsMoveToTheEndOfTheirTopicsWhereverTheyWere() throws Exception {
        String a = "runway.demo-test-" + UUID.randomUUID();
        String b = "runway.demo-test-" + UUID.randomUUID();
        String old = "demo-test-old-" + UUID.randomUUID();
        String fresh = "demo-test-fresh-" + UUID.randomUUID();
        try (Admin admin = Admin.create(BACKBONE.kafkaAdmin())) {
            admin.createTopics(List.of(new NewTopic(a, 3, (short) 1), new NewTopic(b, 1, (short) 1))).all().get(30, TimeUnit.SECONDS);
            Properties p = new Properties();
            p.putAll(BACKBONE.kafkaAdmin());
            try (KafkaProducer<String, String> producer = new KafkaProducer<>(p, new StringSerializer(), new StringSerializer())) {
                for (int i = 0; i < 30; i++) {
                    producer.send(new ProducerRecord<>(a, "key-" + i, "record " + i));
                    producer.send(new ProducerRecord<>(b, "key-" + i, "record " + i));
                }
            }
            // A group that read from the start of a, as a service's group left by an earlier run.
            Map<TopicPartition, OffsetAndMetadata> start = new HashMap<>();
            for (int partition = 0; partition < 3; partition++) {
                start.put(new TopicPartition(a, partition), new OffsetAndMetadata(0));
            }
            admin.alterConsumerGroupOffsets(old, start).all().get(30, TimeUnit.SECONDS);

            ConsumerGroups.moveToEnd(BACKBONE.kafkaAdmin(), Map.of(old, Set.of(a), fresh, Set.of(a, b)));

            Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
            for (int partition = 0; partition < 3; partition++) {
                latest.put(new TopicPartition(a, partition), OffsetSpec.latest());
            }
            latest.put(new TopicPartition(b, 0), OffsetSpec.latest());
            Map<TopicPartition, Long> ends = new HashMap<>();
            admin.listOffsets(latest).all().get(30, TimeUnit.SECONDS).forEach((tp, info) -> ends.put(tp, info.offset()));
            assertEquals(60, ends.values().stream().mapToLong(Long::longValue).sum(), "every record was written: " + ends);

            Map<TopicPartition, Long> oldAt = committed(admin, old);
            Map<TopicPartition, Long> freshAt = committed(admin, fresh);
            Map<TopicPartition, Long> endsOfA = new HashMap<>(ends);
            endsOfA.remove(new TopicPartition(b, 0));
            assertEquals(endsOfA, oldAt, "the old group is at the end of a, and nowhere else");
            assertEquals(ends, freshAt, "a group that never read starts at the end of a and b");
            admin.deleteTopics(List.of(a, b));
            admin.deleteConsumerGroups(List.of(old, fresh));
        }
    }

    @Test
    void databasesComeBackEmpty() throws Exception {
        String db = "runway_demo_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        Settings settings = new Settings(Path.of("."), Path.of("."), BACKBONE.kafkaAdmin(), BACKBONE.pgHost() + ":" + BACKBONE.pgPort(),
                BACKBONE.pgUser(), BACKBONE.pgPassword(), BACKBONE.redisUrl(), List.of(), 0, Settings.SHOP);
        Databases databases = new Databases(settings);
        databases.recreate(List.of(db));
        try (Connection c = DriverManager.getConnection(BACKBONE.jdbcPgUrl(db), BACKBONE.pgUser(), BACKBONE.pgPassword());
                Statement s = c.createStatement()) {
            s.execute("create table orders (id int, item text, status text)");
            assertEquals(List.of("id", "item", "status"), databases.columns(db, "orders"));
            // The connection stays open: the reset ends it, as it must end a stopped service's leftovers.
            databases.recreate(List.of(db));
            assertEquals(List.of(), databases.columns(db, "orders"));
        }
        try (Connection admin = DriverManager.getConnection(BACKBONE.jdbcPgUrl("postgres"), BACKBONE.pgUser(), BACKBONE.pgPassword());
                Statement s = admin.createStatement()) {
            s.execute("DROP DATABASE " + db + " WITH (FORCE)");
            try (ResultSet left = s.executeQuery("select count(*) from pg_database where datname = '" + db + "'")) {
                assertTrue(left.next() && left.getInt(1) == 0);
            }
        }
    }

    @Test
    void theKeysOfThePatternAreDeletedAndNoOthers() throws Exception {
        String prefix = "runway-demo-test-" + UUID.randomUUID();
        Vertx vertx = Vertx.vertx();
        Redis client = Redis.createClient(vertx, BACKBONE.redisUrl());
        try {
            RedisAPI redis = RedisAPI.api(client);
            for (int i = 0; i < 2_500; i++) { // more than one SCAN page
                redis.set(List.of(prefix + ":lock:" + i, "x")).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
            }
            redis.set(List.of(prefix + "-other", "kept")).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);

            assertEquals(2_500, RedisKeys.delete(BACKBONE.redisUrl(), prefix + ":*"));

            assertEquals(0, redis.exists(List.of(prefix + ":lock:0", prefix + ":lock:2499")).toCompletionStage().toCompletableFuture()
                    .get(10, TimeUnit.SECONDS).toInteger());
            assertEquals("kept", redis.get(prefix + "-other").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS)
                    .toString());
            redis.del(List.of(prefix + "-other")).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } finally {
            client.close();
            vertx.close();
        }
    }

    private static Map<TopicPartition, Long> committed(Admin admin, String group) throws Exception {
        Map<TopicPartition, Long> at = new HashMap<>();
        admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get(30, TimeUnit.SECONDS)
                .forEach((tp, o) -> at.put(tp, o.offset()));
        return at;
    }
}
