package dev.runway.validator.messaging;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletionStage;

import jakarta.enterprise.context.ApplicationScoped;

import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.header.Header;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

import dev.runway.events.DeployRequested;
import dev.runway.events.Envelopes;
import dev.runway.events.EventHeader;
import dev.runway.events.Topics;
import dev.runway.validator.validation.ProcessedRequests;
import dev.runway.validator.validation.ProjectValidation;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.reactive.messaging.kafka.api.IncomingKafkaRecordMetadata;

/**
 * Answers every {@link DeployRequested} on {@value Topics#VALIDATION_REQUESTS} once per deployment.
 * Validation reads repositories (blocking I/O), so it runs on a worker thread, one request at a
 * time. A record that is not a decodable DeployRequested is nacked: the channel's dead-letter
 * strategy moves it to {@code runway.validation.requests.dlq} with the reason in its headers.
 */
@ApplicationScoped
public class ValidationRequestConsumer {

    private static final Logger LOG = Logger.getLogger(ValidationRequestConsumer.class);
    private static final Duration IO_TIMEOUT = Duration.ofSeconds(30);

    private final ProjectValidation validation;
    private final ProcessedRequests processed;
    private final ValidationResultPublisher publisher;

    public ValidationRequestConsumer(ProjectValidation validation, ProcessedRequests processed, ValidationResultPublisher publisher) {
        this.validation = validation;
        this.processed = processed;
        this.publisher = publisher;
    }

    @Incoming(Topics.VALIDATION_REQUESTS)
    @Blocking
    public CompletionStage<Void> onRequest(Message<SpecificRecord> message) {
        SpecificRecord payload = message.getPayload();
        if (payload == null) {
            return message.nack(new UndecodableRecordException("undecodable record: " + deserializationFailure(message)));
        }
        if (!(payload instanceof DeployRequested request)) {
            return message.nack(new UndecodableRecordException(Topics.VALIDATION_REQUESTS + " carries DeployRequested only, got "
                    + payload.getSchema().getFullName()));
        }
        EventHeader header = Envelopes.headerOf(request);
        String deploymentId = header.getDeploymentId();
        if (deploymentId == null || deploymentId.isBlank()) {
            return message.nack(new UndecodableRecordException("DeployRequested " + header.getEventId() + " has no deployment id"));
        }
        try {
            if (processed.contains(deploymentId).await().atMost(IO_TIMEOUT)) {
                LOG.infof("deployment %s already validated; request %s acknowledged without a new answer", deploymentId, header.getEventId());
                return message.ack();
            }
            SpecificRecord answer = validation.answer(request);
            publisher.publish(answer).await().atMost(IO_TIMEOUT);
            EventHeader answered = Envelopes.headerOf(answer);
            processed.record(deploymentId, header.getEventId(), answered.getEventId(), answer.getSchema().getName())
                    .await().atMost(IO_TIMEOUT);
            return message.ack();
        } catch (RuntimeException e) {
            LOG.errorf(e, "deployment %s: request %s could not be answered", deploymentId, header.getEventId());
            return message.nack(e);
        }
    }

    /** The reason the Kafka connector recorded when the value could not be deserialized. */
    private static String deserializationFailure(Message<?> message) {
        return message.getMetadata(IncomingKafkaRecordMetadata.class)
                .map(meta -> meta.getHeaders().lastHeader("deserialization-failure-reason"))
                .map(Header::value)
                .map(v -> new String(v, StandardCharsets.UTF_8))
                .orElse("empty value");
    }

    /** A record this consumer can never process: it goes to the dead-letter topic as it is. */
    public static final class UndecodableRecordException extends RuntimeException {
        public UndecodableRecordException(String message) {
            super(message);
        }
    }
}
