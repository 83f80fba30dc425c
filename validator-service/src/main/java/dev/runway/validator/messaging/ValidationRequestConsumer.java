package dev.runway.validator.messaging;

import java.time.Duration;

import jakarta.enterprise.context.ApplicationScoped;

import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

import dev.runway.events.DeployRequested;
import dev.runway.events.Envelopes;
import dev.runway.events.EventHeader;
import dev.runway.events.Topics;
import dev.runway.messaging.Redaction;
import dev.runway.messaging.inbound.InboundPipeline;
import dev.runway.messaging.inbound.PoisonRecordException;
import dev.runway.validator.validation.ProcessedRequests;
import dev.runway.validator.validation.ProjectValidation;
import io.smallrye.common.annotation.Blocking;

/**
 * Answers every {@link DeployRequested} on {@value Topics#VALIDATION_REQUESTS} once per deployment.
 * Validation reads repositories (blocking I/O), so it runs on a worker thread, one request at a
 * time. Records come in as bytes through messaging-support's {@link InboundPipeline}: one that is not
 * a decodable DeployRequested with a deployment id is poison and goes at once, byte for byte, to
 * {@code runway.validation.requests.dlq} with the reason; a failure of Postgres, Kafka or the registry
 * is retried with backoff. A retry is safe: an answered deployment is never answered again.
 */
@ApplicationScoped
public class ValidationRequestConsumer {

    private static final Logger LOG = Logger.getLogger(ValidationRequestConsumer.class);
    private static final Duration IO_TIMEOUT = Duration.ofSeconds(30);

    private final InboundPipeline inbound;
    private final ProjectValidation validation;
    private final ProcessedRequests processed;
    private final ValidationResultPublisher publisher;

    public ValidationRequestConsumer(InboundPipeline inbound, ProjectValidation validation, ProcessedRequests processed,
            ValidationResultPublisher publisher) {
        this.inbound = inbound;
        this.validation = validation;
        this.processed = processed;
        this.publisher = publisher;
    }

    @Incoming(Topics.VALIDATION_REQUESTS)
    @Blocking
    public void onRequest(ConsumerRecord<String, byte[]> record) {
        inbound.processBlocking(record, this::answer);
    }

    private void answer(SpecificRecord payload) {
        if (!(payload instanceof DeployRequested request)) {
            throw new PoisonRecordException(Topics.VALIDATION_REQUESTS + " carries DeployRequested only, got "
                    + payload.getSchema().getFullName());
        }
        EventHeader header = Envelopes.headerOf(request);
        String deploymentId = header.getDeploymentId();
        if (deploymentId == null || deploymentId.isBlank()) {
            throw new PoisonRecordException("DeployRequested " + header.getEventId() + " has no deployment id");
        }
        try {
            if (processed.contains(deploymentId).await().atMost(IO_TIMEOUT)) {
                LOG.infof("deployment %s already validated; request %s acknowledged without a new answer", deploymentId, header.getEventId());
                return;
            }
            SpecificRecord answer = validation.answer(request);
            publisher.publish(answer).await().atMost(IO_TIMEOUT);
            EventHeader answered = Envelopes.headerOf(answer);
            processed.record(deploymentId, header.getEventId(), answered.getEventId(), answer.getSchema().getName())
                    .await().atMost(IO_TIMEOUT);
        } catch (RuntimeException e) {
            // The pipeline retries it; said here so an operator sees why a deployment waits for its answer.
            LOG.warnf("deployment %s: request %s could not be answered yet: %s", deploymentId, header.getEventId(),
                    Redaction.redact(e.getMessage()));
            throw e;
        }
    }
}
