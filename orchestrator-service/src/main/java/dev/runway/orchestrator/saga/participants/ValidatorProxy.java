package dev.runway.orchestrator.saga.participants;

import java.util.Optional;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;

import org.apache.avro.specific.SpecificRecord;

import dev.runway.events.CheckResult;
import dev.runway.events.CheckStatus;
import dev.runway.events.DeployRequested;
import dev.runway.events.EventHeader;
import dev.runway.events.Strategy;
import dev.runway.events.Topics;
import dev.runway.events.ValidationFailed;
import dev.runway.events.ValidationPassed;
import dev.runway.orchestrator.deployment.Deployment;
import dev.runway.orchestrator.deployment.DeploymentPlan;

/**
 * The validator: checks a request against the project's rules before anything is locked or changed. It reads
 * {@code DeployRequested} on {@link Topics#VALIDATION_REQUESTS} and answers on {@link Topics#VALIDATION_RESULTS}.
 */
@ApplicationScoped
public class ValidatorProxy implements Participant {

    /** The validate step's name, which the validator's replies do not echo. */
    private static final String STEP = "validate";

    private final Replies replies = new Replies()
            .on(ValidationPassed.class, (d, plan, r) -> {
                // The migrations the validator read; ApplyMigrations carries them so the executor runs nothing else.
                d.validatedMigrations = Records.json(r.getMigrations());
                return ReplyOutcome.succeeded(STEP, r.getReport().getOutcome() + ", " + r.getReport().getWarnings() + " warnings"
                        + (r.getMigrations() == null ? "" : ", migrations " + r.getMigrations().getPath() + " "
                                + r.getMigrations().getFiles().size() + " files sha256 " + r.getMigrations().getSha256()));
            })
            .on(ValidationFailed.class, (d, plan, r) -> ReplyOutcome.failed(STEP, r.getReason() + " (" + r.getReport().getErrors()
                    + " errors: " + String.join(", ", r.getReport().getChecks().stream()
                            .filter(c -> c.getStatus() == CheckStatus.FAILED).map(CheckResult::getRuleId).limit(10).toList()) + ")"));

    @Override
    public String name() {
        return "validator";
    }

    @Override
    public String replyTopic() {
        return Topics.VALIDATION_RESULTS;
    }

    @Override
    public Set<Class<? extends SpecificRecord>> replyTypes() {
        return replies.types();
    }

    @Override
    public Optional<ReplyOutcome> understand(Deployment d, DeploymentPlan plan, SpecificRecord reply) {
        return replies.read(d, plan, reply);
    }

    /** Asks for validation of the request. */
    public Command validate(Deployment d, DeploymentPlan plan, EventHeader header) {
        return new Command(Topics.VALIDATION_REQUESTS, deployRequested(d, plan, header));
    }

    /** The request as the validator reads it, scan report included. */
    public DeployRequested deployRequested(Deployment d, DeploymentPlan plan, EventHeader header) {
        return DeployRequested.newBuilder().setHeader(header).setVersion(d.version)
                .setComponents(Records.componentNames(plan))
                .setStrategy(Strategy.valueOf(d.strategy)).setDryRun(d.dryRun).setRequestedBy(d.requestedBy)
                .setManifest(d.manifest).setRepository(Records.repository(d)).setCiEvidence(d.ciEvidence)
                .setScanReport(d.scanReport)
                .build();
    }

    /**
     * The request as the deployment's first public lifecycle event: without the scan report, which lists the
     * project's known vulnerabilities and is for the validator only (the field stays, null, under the BACKWARD rule).
     */
    public DeployRequested publicRequested(Deployment d, DeploymentPlan plan, EventHeader header) {
        DeployRequested request = deployRequested(d, plan, header);
        request.setScanReport(null);
        return request;
    }
}
