package dev.runway.orchestrator.lock;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import dev.runway.events.Environment;
import dev.runway.orchestrator.OrchestratorConfig;
import dev.runway.orchestrator.project.Projects;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Response;

/**
 * One active deployment per <em>project environment</em> (project, environment), in Redis: a lease
 * with a TTL that the orchestrator renews while the saga lives, a fencing token from a counter of
 * that project environment that only grows (carried on every executor command, so a stale holder's
 * commands are refused), and a FIFO queue so that a second deployment of the same project
 * environment waits its turn instead of being rejected. Different projects never share keys, so
 * their deployments to one environment run at the same time.
 *
 * <p>Keys: {@code runway:pe:<safe project>:<env>:lock} = {@code <deploymentId>:<token>} (PX lease),
 * {@code runway:pe:<safe project>:<env>:fence} (INCR), {@code runway:pe:<safe project>:<env>:queue}
 * (ZSET by request time). The safe project name ({@link Projects#safeKey}) is unique among registered
 * projects. Every check-and-set is one Lua script, so it is atomic on the server.
 */
@ApplicationScoped
public class EnvironmentLock {

    /** Grants the lock to the head of the queue only; tokens never go below the caller's floor. */
    private static final String ACQUIRE = """
            local holder = redis.call('GET', KEYS[1])
            if holder then
              local sep = string.find(holder, ':', 1, true)
              if string.sub(holder, 1, sep - 1) == ARGV[1] then
                redis.call('PEXPIRE', KEYS[1], ARGV[2])
                return tonumber(string.sub(holder, sep + 1))
              end
              return -1
            end
            if ARGV[4] == 'fair' then
              local head = redis.call('ZRANGE', KEYS[3], 0, 0)
              if head[1] and head[1] ~= ARGV[1] then return -1 end
            end
            local token = redis.call('INCR', KEYS[2])
            local floor = tonumber(ARGV[3])
            if token <= floor then
              token = floor + 1
              redis.call('SET', KEYS[2], token)
            end
            redis.call('SET', KEYS[1], ARGV[1] .. ':' .. token, 'PX', ARGV[2])
            redis.call('ZREM', KEYS[3], ARGV[1])
            return token
            """;

    private static final String RENEW = """
            if redis.call('GET', KEYS[1]) == ARGV[1] then
              return redis.call('PEXPIRE', KEYS[1], ARGV[2])
            end
            return 0
            """;

    private static final String RELEASE = """
            redis.call('ZREM', KEYS[2], ARGV[2])
            if redis.call('GET', KEYS[1]) == ARGV[1] then
              return redis.call('DEL', KEYS[1])
            end
            return 0
            """;

    /** Who holds an environment and under which token. */
    public record Holder(String deploymentId, long token) {
    }

    private final ReactiveRedisDataSource redis;
    private final Duration lease;
    private final String prefix;

    public EnvironmentLock(ReactiveRedisDataSource redis, OrchestratorConfig config) {
        this.redis = redis;
        this.lease = config.lock().lease();
        this.prefix = config.lock().keyPrefix();
    }

    public Duration lease() {
        return lease;
    }

    /** Joins the project environment's queue (no-op when already queued). */
    public Uni<Void> enqueue(String project, Environment env, String deploymentId, long requestedAtMillis) {
        return redis.execute("ZADD", queueKey(project, env), "NX", Long.toString(requestedAtMillis), deploymentId).replaceWithVoid();
    }

    /**
     * Takes the lock if it is free and this deployment is first in line (or already holds it).
     *
     * @param tokenFloor the highest token ever issued for the project environment as Postgres remembers it,
     *                   so that a Redis that lost its data still never hands out a smaller token
     */
    public Uni<Optional<Long>> tryAcquire(String project, Environment env, String deploymentId, long tokenFloor) {
        return acquire(project, env, deploymentId, tokenFloor, "fair");
    }

    /** After a crash: take the lock back if nobody else took it in between (queue order not applied). */
    public Uni<Optional<Long>> reacquire(String project, Environment env, String deploymentId, long tokenFloor) {
        return acquire(project, env, deploymentId, tokenFloor, "recover");
    }

    private Uni<Optional<Long>> acquire(String project, Environment env, String deploymentId, long tokenFloor, String mode) {
        return redis.execute("EVAL", ACQUIRE, "3", lockKey(project, env), fenceKey(project, env), queueKey(project, env), deploymentId,
                Long.toString(lease.toMillis()), Long.toString(tokenFloor), mode)
                .map(r -> {
                    long token = r.toLong();
                    return token < 0 ? Optional.<Long>empty() : Optional.of(token);
                });
    }

    /** Extends the lease; false when the lease was lost (expired or taken). */
    public Uni<Boolean> renew(String project, Environment env, String deploymentId, long token) {
        return redis.execute("EVAL", RENEW, "1", lockKey(project, env), deploymentId + ":" + token, Long.toString(lease.toMillis()))
                .map(r -> r.toLong() == 1L);
    }

    /** Releases the lock if still held under this token and leaves the queue. */
    public Uni<Boolean> release(String project, Environment env, String deploymentId, long token) {
        return redis.execute("EVAL", RELEASE, "2", lockKey(project, env), queueKey(project, env), deploymentId + ":" + token, deploymentId)
                .map(r -> r.toLong() == 1L);
    }

    /** Leaves the queue without holding the lock (cancelled or failed while queued). */
    public Uni<Void> dequeue(String project, Environment env, String deploymentId) {
        return redis.execute("ZREM", queueKey(project, env), deploymentId).replaceWithVoid();
    }

    public Uni<Optional<Holder>> holder(String project, Environment env) {
        return redis.execute("GET", lockKey(project, env)).map(r -> {
            if (r == null) {
                return Optional.empty();
            }
            String value = r.toString();
            int sep = value.lastIndexOf(':');
            return Optional.of(new Holder(value.substring(0, sep), Long.parseLong(value.substring(sep + 1))));
        });
    }

    /** Deployment ids waiting for the project environment, first in line first. */
    public Uni<List<String>> queue(String project, Environment env) {
        return redis.execute("ZRANGE", queueKey(project, env), "0", "-1")
                .map(r -> r == null ? List.<String>of() : stream(r));
    }

    private static List<String> stream(Response r) {
        ArrayList<String> ids = new ArrayList<>();
        for (Response item : r) {
            ids.add(item.toString());
        }
        return ids;
    }

    private String key(String project, Environment env, String suffix) {
        return prefix + ":pe:" + Projects.safeKey(project) + ":" + env.name().toLowerCase(Locale.ROOT) + ":" + suffix;
    }

    String lockKey(String project, Environment env) {
        return key(project, env, "lock");
    }

    private String fenceKey(String project, Environment env) {
        return key(project, env, "fence");
    }

    private String queueKey(String project, Environment env) {
        return key(project, env, "queue");
    }
}
