package dev.runway.validator.rules;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.runway.events.ValidationOutcome;
import dev.runway.validator.fixtures.FixtureRepo;
import dev.runway.validator.source.GitCommitSource;
import dev.runway.validator.source.RepositoryPolicy;

/**
 * How long validating examples/acme-shop takes, as the service does it: open the repository at the
 * commit with JGit and run all eight phases. Prints figures; asserts nothing about time.
 * Run: ./mvnw -o -pl validator-service test -Dtest=ValidationBenchmark -Dsurefire.failIfNoSpecifiedTests=false
 */
class ValidationBenchmark {

    static final int WARMUP = 50;
    static final int RUNS = 300;

    @Test
    void validateExampleProject() throws Exception {
        try (FixtureRepo repo = FixtureRepo.released()) {
            String commit = repo.head();
            var request = repo.request();
            for (int i = 0; i < WARMUP; i++) {
                once(repo, commit, request);
            }
            List<Long> micros = new ArrayList<>();
            for (int i = 0; i < RUNS; i++) {
                long start = System.nanoTime();
                once(repo, commit, request);
                micros.add((System.nanoTime() - start) / 1_000);
            }
            Collections.sort(micros);
            System.out.printf("ValidationBenchmark: validate examples/acme-shop (open commit + 8 phases), %d runs after %d warm-up:"
                    + " median %.2f ms, p99 %.2f ms, max %.2f ms%n", RUNS, WARMUP, micros.get(RUNS / 2) / 1000.0,
                    micros.get((int) Math.ceil(RUNS * 0.99) - 1) / 1000.0, micros.get(RUNS - 1) / 1000.0);
        }
    }

    private static void once(FixtureRepo repo, String commit, ValidationRequest request) throws Exception {
        try (GitCommitSource source = GitCommitSource.open(repo.dir().toString(), commit, RepositoryPolicy.localUnder(repo.dir()), FixtureRepo.LIMITS)) {
            if (FixtureRepo.VALIDATOR.validate(source, request).outcome() != ValidationOutcome.PASSED) {
                throw new IllegalStateException("the example project should pass");
            }
        }
    }
}
