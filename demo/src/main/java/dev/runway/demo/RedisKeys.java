package dev.runway.demo;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisAPI;
import io.vertx.redis.client.Response;

/** Deletes the keys of a pattern (SCAN, then DEL per batch), as {@code redis-cli --scan --pattern … | xargs del} did. */
final class RedisKeys {

    static final long TIMEOUT_SECONDS = 30;

    private RedisKeys() {
    }

    /** How many keys matching the pattern were deleted. */
    static int delete(String redisUrl, String pattern) throws Exception {
        Vertx vertx = Vertx.vertx();
        Redis client = Redis.createClient(vertx, redisUrl);
        try {
            RedisAPI redis = RedisAPI.api(client);
            int deleted = 0;
            String cursor = "0";
            do {
                Response page = await(redis.scan(List.of(cursor, "MATCH", pattern, "COUNT", "1000")));
                cursor = page.get(0).toString();
                List<String> keys = new ArrayList<>();
                page.get(1).forEach(k -> keys.add(k.toString()));
                if (!keys.isEmpty()) {
                    deleted += await(redis.del(keys)).toInteger();
                }
            } while (!"0".equals(cursor));
            return deleted;
        } finally {
            client.close();
            await(vertx.close());
        }
    }

    private static <T> T await(Future<T> future) throws Exception {
        CompletionStage<T> stage = future.toCompletionStage();
        return stage.toCompletableFuture().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
    }
}
