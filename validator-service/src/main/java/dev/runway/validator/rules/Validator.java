package dev.runway.validator.rules;

import java.time.Duration;
import java.util.List;

import dev.runway.events.CheckStatus;
import dev.runway.events.MigrationSet;
import dev.runway.manifest.ManifestReader;
import dev.runway.validator.source.FileTooLargeException;
import dev.runway.validator.source.ProjectSource;

/**
 * The rules engine: runs the eight phases of sop.md 000-6.1 over a project and returns every check.
 * Plain Java (no Quarkus), shared by the service and {@code runway validate}. Thread-safe: one
 * instance can serve many validations at once.
 */
public final class Validator {

    private final ManifestReader reader;
    private final List<PhaseRules> phases = List.of(
            new StructureRules(), new ManifestRules(), new EnvironmentRules(), new CodeStateRules(),
            new DependencyRules(), new TestEvidenceRules(), new MigrationRules(), new ContainerRules());

    public Validator() {
        this.reader = new ManifestReader();
    }

    public Report validate(ProjectSource source, ValidationRequest request) {
        long start = System.nanoTime();
        ValidationContext ctx = new ValidationContext(source, request, reader);
        ctx.pass(Rule.SOURCE_READABLE, null, "Read " + source.describe());
        for (PhaseRules phase : phases) {
            int before = ctx.checks().size();
            try {
                phase.apply(ctx);
            } catch (FileTooLargeException e) {
                ctx.fail(phase.backstop(), e.path(), "Could not check: " + e.getMessage(), "keep such files small or out of the repository");
            } catch (RuntimeException | StackOverflowError e) {
                // Fail safe: a rule that cannot finish blocks the deployment instead of passing it.
                ctx.fail(phase.backstop(), null, "Could not check " + phase.backstop().phase().title() + ": "
                        + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : " " + e.getMessage()), null);
            }
            if (ctx.checks().size() == before) {
                ctx.fail(phase.backstop(), null, "No check ran in " + phase.backstop().phase().title(), null);
            }
        }
        MigrationSet migrations = null;
        try {
            migrations = MigrationFiles.validatedSet(source, ctx.manifest).orElse(null);
        } catch (FileTooLargeException e) {
            ctx.fail(Rule.MIGRATIONS_PRESENT, e.path(), "Could not checksum: " + e.getMessage(), "keep migration files small");
        }
        return new Report(ctx.checks(), Duration.ofNanos(System.nanoTime() - start), migrations);
    }

    /** The report of a project that could not be read at all: one failed check with the reason. */
    public static Report unreadable(String reason, Duration took) {
        return new Report(List.of(new Check(Rule.SOURCE_READABLE, Rule.SOURCE_READABLE.severity(), CheckStatus.FAILED, null,
                "Repository could not be read: " + reason, "check the repository URL and commit of the request")), took);
    }

    /** The rules of one phase. */
    interface PhaseRules {
        void apply(ValidationContext ctx);

        /** The rule a failure of the phase itself is reported under. */
        Rule backstop();
    }
}
