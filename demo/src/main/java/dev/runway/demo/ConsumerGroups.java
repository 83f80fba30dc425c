package dev.runway.demo;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.TopicPartition;

/**
 * Moves consumer groups to the end of their topics, as {@code kafka-consumer-groups --reset-offsets --to-latest}
 * does: the committed offset of every partition becomes its current end. Like that tool it needs the groups to
 * have no live member (the services are stopped first); a group that never consumed gets its offsets all the same.
 */
final class ConsumerGroups {

    static final long TIMEOUT_SECONDS = 60;

    private ConsumerGroups() {
    }

    /** Every group at the end of each of its topics; the offsets set, per group. */
    static Map<String, Map<TopicPartition, Long>> moveToEnd(Map<String, Object> kafka, Map<String, ? extends Set<String>> topicsByGroup)
            throws InterruptedException, ExecutionException, TimeoutException {
        Map<String, Object> client = new HashMap<>(kafka);
        client.put(AdminClientConfig.CLIENT_ID_CONFIG, "runway-demo");
        try (Admin admin = Admin.create(client)) {
            Set<String> topics = topicsByGroup.values().stream().flatMap(Set::stream).collect(Collectors.toSet());
            Map<String, TopicDescription> described = admin.describeTopics(topics).allTopicNames().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
            described.values().forEach(t -> t.partitions().forEach(p -> latest.put(new TopicPartition(t.name(), p.partition()),
                    OffsetSpec.latest())));
            Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> ends = admin.listOffsets(latest).all()
                    .get(TIMEOUT_SECONDS, TimeUnit.SECONDS);

            Map<String, Map<TopicPartition, Long>> moved = new HashMap<>();
            Map<String, KafkaFuture<Void>> pending = new HashMap<>();
            topicsByGroup.forEach((group, groupTopics) -> {
                Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
                ends.forEach((partition, end) -> {
                    if (groupTopics.contains(partition.topic())) {
                        offsets.put(partition, new OffsetAndMetadata(end.offset()));
                    }
                });
                pending.put(group, admin.alterConsumerGroupOffsets(group, offsets).all());
                Map<TopicPartition, Long> set = new HashMap<>();
                offsets.forEach((p, o) -> set.put(p, o.offset()));
                moved.put(group, set);
            });
            for (Map.Entry<String, KafkaFuture<Void>> group : pending.entrySet()) {
                try {
                    group.getValue().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
                } catch (ExecutionException e) {
                    throw new ExecutionException("group " + group.getKey() + " (does a service of it still run?)", e.getCause());
                }
            }
            return moved;
        }
    }
}
