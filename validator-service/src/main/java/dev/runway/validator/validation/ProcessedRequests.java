package dev.runway.validator.validation;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;

/** Deployments already answered, in this service's own database (table from Flyway V1). */
@ApplicationScoped
public class ProcessedRequests {

    private final Pool pool;

    public ProcessedRequests(Pool pool) {
        this.pool = pool;
    }

    public Uni<Boolean> contains(String deploymentId) {
        return pool.preparedQuery("SELECT 1 FROM processed_request WHERE deployment_id = $1")
                .execute(Tuple.of(deploymentId))
                .map(rows -> rows.size() > 0);
    }

    /** Records the answer; a concurrent duplicate that got here first wins and this is a no-op. */
    public Uni<Void> record(String deploymentId, String requestEventId, String resultEventId, String outcome) {
        return pool.preparedQuery("INSERT INTO processed_request (deployment_id, request_event_id, result_event_id, outcome)"
                + " VALUES ($1, $2, $3, $4) ON CONFLICT (deployment_id) DO NOTHING")
                .execute(Tuple.of(deploymentId, requestEventId, resultEventId, outcome))
                .replaceWithVoid();
    }

    public Uni<String> outcomeOf(String deploymentId) {
        return pool.preparedQuery("SELECT outcome FROM processed_request WHERE deployment_id = $1")
                .execute(Tuple.of(deploymentId))
                .map(rows -> rows.size() == 0 ? null : rows.iterator().next().getString("outcome"));
    }
}
