package dev.runway.validator.validation;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import org.apache.avro.specific.SpecificRecord;
import org.eclipse.microprofile.config.Config;
import org.jboss.logging.Logger;

import dev.runway.events.CheckResult;
import dev.runway.events.CheckStatus;
import dev.runway.events.DeployRequested;
import dev.runway.events.Envelopes;
import dev.runway.events.EventHeader;
import dev.runway.events.RepositoryRef;
import dev.runway.events.Severity;
import dev.runway.events.ValidationFailed;
import dev.runway.events.ValidationPassed;
import dev.runway.events.ValidationReport;
import dev.runway.messaging.Redaction;
import dev.runway.messaging.credentials.RepositoryCredentials;
import dev.runway.validator.rules.Check;
import dev.runway.validator.rules.Report;
import dev.runway.validator.rules.ValidationRequest;
import dev.runway.validator.rules.Validator;
import dev.runway.validator.source.CloneCache;
import dev.runway.validator.source.CloneLimits;
import dev.runway.validator.source.GitCommitSource;
import dev.runway.validator.source.RepositoryPolicy;
import dev.runway.validator.source.SourceUnavailableException;
import io.quarkus.runtime.Startup;

/**
 * Turns a {@link DeployRequested} into its answer: the repository at the requested commit is read
 * with JGit, if the operator's repository policy allows it, and validated; anything that prevents reading it
 * is a {@link ValidationFailed} with the reason, never a pass. Every text of the answer (reason, messages,
 * hints, files) and of the log passes through {@link Redaction}: a token in a repository URL goes nowhere.
 */
@ApplicationScoped
@Startup // a repository policy that cannot be read stops the validator at start, not at the first request
public class ProjectValidation {

    private static final Logger LOG = Logger.getLogger(ProjectValidation.class);

    private final Validator validator;
    private final ValidatorSettings settings;
    private final RepositoryPolicy policy;
    private final CloneLimits limits;
    private final CloneCache clones;
    private final RepositoryCredentials credentials;
    private final Clock clock;

    public ProjectValidation(Validator validator, ValidatorSettings settings, Config config) {
        this.validator = validator;
        this.settings = settings;
        this.credentials = RepositoryCredentials.of(config);
        this.policy = RepositoryPolicy.of(settings.repositories().allowSchemes(),
                settings.repositories().allowHosts().orElse(List.of()), settings.repositories().allowFileRoots().orElse(List.of()));
        this.limits = new CloneLimits(settings.cloneSettings().timeout(), settings.cloneSettings().maxBytes());
        this.clones = new CloneCache(settings.cloneSettings().cacheDir(), settings.cloneSettings().cacheMaxBytes());
        this.clock = Clock.systemUTC();
    }

    /** ValidationPassed or ValidationFailed, caused by {@code request}. */
    public SpecificRecord answer(DeployRequested request) {
        long start = System.nanoTime();
        Report report = validate(request, start);
        EventHeader header = Envelopes.causedBy(request.getHeader(), clock);
        ValidationReport avro = toAvro(report);
        LOG.infof("deployment %s: %s (%d errors, %d warnings) in %d ms", header.getDeploymentId(), report.outcome(),
                report.errors(), report.warnings(), report.duration().toMillis());
        if (report.errors() > 0) {
            String reason = Redaction.redact(report.summary());
            LOG.infof("deployment %s failed validation: %s", header.getDeploymentId(), reason);
            return ValidationFailed.newBuilder().setHeader(header).setReport(avro).setReason(reason).build();
        }
        // What the executor will compare before running any migration: the files this validation read.
        return ValidationPassed.newBuilder().setHeader(header).setReport(avro).setMigrations(report.migrations()).build();
    }

    private Report validate(DeployRequested request, long start) {
        RepositoryRef repo = request.getRepository();
        if (repo == null) {
            return Validator.unreadable("the request names no repository", since(start));
        }
        ValidationRequest what = new ValidationRequest(request.getHeader().getEnvironment(), request.getVersion(),
                request.getStrategy(), request.getComponents(), request.getManifest(), request.getCiEvidence(), request.getScanReport());
        RepositoryCredentials.Credential credential = null;
        if (repo.getCredential() != null) {
            try {
                credential = credentials.resolve(repo.getCredential());
            } catch (RepositoryCredentials.UnknownCredentialException e) {
                return Validator.unreadable(e.getMessage(), since(start));
            }
        }
        try (GitCommitSource source = GitCommitSource.open(repo.getUrl(), repo.getCommit(), policy, limits, credential, clones)) {
            return validator.validate(source, what);
        } catch (SourceUnavailableException e) {
            return Validator.unreadable(e.getMessage(), since(start));
        }
    }

    private static Duration since(long start) {
        return Duration.ofNanos(System.nanoTime() - start);
    }

    ValidationReport toAvro(Report report) {
        int max = settings.maxReportedChecks();
        List<Check> kept = report.checks();
        if (kept.size() > max) {
            // Too many to send: what blocks or warns matters more than what passed.
            kept = new ArrayList<>();
            report.checks().stream().filter(c -> c.status() != CheckStatus.PASSED).forEach(kept::add);
            report.checks().stream().filter(c -> c.status() == CheckStatus.PASSED).forEach(kept::add);
        }
        List<CheckResult> checks = new ArrayList<>();
        for (Check c : kept.subList(0, Math.min(max, kept.size()))) {
            checks.add(CheckResult.newBuilder()
                    .setRuleId(c.ruleId())
                    .setPhase(c.phase().number())
                    .setPhaseName(c.phase().title())
                    .setSeverity(c.severity())
                    .setStatus(c.status())
                    .setFile(Redaction.redact(c.file()))
                    .setMessage(Redaction.redact(c.message()))
                    .setHint(Redaction.redact(c.hint()))
                    .build());
        }
        if (kept.size() > max) {
            checks.add(CheckResult.newBuilder().setRuleId("report.truncated").setPhase(1).setPhaseName("Report")
                    .setSeverity(Severity.INFO).setStatus(CheckStatus.SKIPPED).setFile(null)
                    .setMessage((kept.size() - max) + " more checks not listed").setHint(null).build());
        }
        return ValidationReport.newBuilder()
                .setOutcome(report.outcome())
                .setErrors((int) report.errors())
                .setWarnings((int) report.warnings())
                .setChecks(checks)
                .setDurationMs(report.duration().toMillis())
                .build();
    }
}
