package dev.runway.orchestrator.saga.participants;

import java.util.Optional;
import java.util.Set;

import org.apache.avro.specific.SpecificRecord;

import dev.runway.orchestrator.deployment.Deployment;
import dev.runway.orchestrator.deployment.DeploymentPlan;

/** A service the saga sends commands to; its proxy owns its topics, its commands and the meaning of its replies. */
public interface Participant {

    /** Who the audit log names for this participant's replies. */
    String name();

    /** Where its replies arrive. */
    String replyTopic();

    /** The reply types it sends. */
    Set<Class<? extends SpecificRecord>> replyTypes();

    /** What {@code reply} means for the saga of {@code d}, or empty for a record this participant never sends. */
    Optional<ReplyOutcome> understand(Deployment d, DeploymentPlan plan, SpecificRecord reply);
}
