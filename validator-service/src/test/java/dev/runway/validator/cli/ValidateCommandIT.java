package dev.runway.validator.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import dev.runway.validator.fixtures.FixtureRepo;

/** The documented command, bin/runway-validate, as a separate process on the packaged service. */
class ValidateCommandIT {

    record Result(int exit, String output) {
    }

    static Result runScript(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(Path.of("bin", "runway-validate").toAbsolutePath().toString());
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(120, TimeUnit.SECONDS), "runway-validate did not finish");
        return new Result(process.exitValue(), output);
    }

    @Test
    void scriptPassesTheExampleAndFailsABrokenCopy() throws Exception {
        try (FixtureRepo repo = FixtureRepo.released()) {
            Result passed = runScript(repo.dir().toString(), "--env", "staging", "--release", "1.0.0", "--ci-evidence", FixtureRepo.CI_RUN);
            assertEquals(0, passed.exit(), passed.output());
            assertTrue(passed.output().contains("PASSED: All validations successful"), passed.output());

            Files.delete(repo.dir().resolve("services/api/Dockerfile"));
            repo.release("v1.1.0");
            Result failed = runScript(repo.dir().toString(), "--env", "production", "--release", "1.1.0");
            assertEquals(1, failed.exit(), failed.output());
            assertTrue(failed.output().contains("✗ No Dockerfile for enabled component api"), failed.output());
            assertTrue(failed.output().contains("✗ No CI evidence: production deployments need a passed CI run"), failed.output());
            assertTrue(failed.output().contains("FAILED: 2 errors, 0 warnings"), failed.output());
        }
    }
}
