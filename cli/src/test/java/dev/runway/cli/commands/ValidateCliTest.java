package dev.runway.cli.commands;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.runway.cli.CliRun;
import dev.runway.validator.cli.ValidateCommand;

/** runway validate = the validator's own command: same report, same exit codes. */
class ValidateCliTest {

    @TempDir
    Path project;

    @Test
    void shouldPrintTheValidatorsReportAndExitOneWhenErrorsBlock() throws Exception {
        Files.writeString(project.resolve("deploy.manifest.yaml"), "version: \"1.0\"\nproject:\n  name: \"acme-shop\"\n");
        CliRun run = CliRun.of("validate", project.toString(), "-e", "staging");
        assertEquals(1, run.code(), run.all());
        assertTrue(run.out().contains("RUNWAY PRE-DEPLOYMENT VALIDATION"), run.out());
        assertTrue(run.out().contains("Missing required file: DEPLOYMENT.md"), run.out());

        StringWriter direct = new StringWriter();
        int code = ValidateCommand.run(new PrintWriter(direct), new PrintWriter(new StringWriter()), project.toString(), "-e",
                "staging", "--no-color");
        assertEquals(code, run.code());
        assertEquals(strip(direct.toString()), strip(run.out()), "the same report as validator-service/bin/runway-validate");
    }

    /** Check lines carry how long the run took; the rest must match. */
    private static String strip(String report) {
        return report.replaceAll("\\d+ ms", "N ms").replaceAll("\\d+\\.\\d+ s", "N s").replace("\r", "");
    }

    @Test
    void shouldKeepTheValidatorsUsageErrors() {
        CliRun missingEnv = CliRun.of("validate", project.toString());
        assertEquals(2, missingEnv.code());
        assertTrue(missingEnv.err().contains("--env"), missingEnv.err());
        assertEquals(2, CliRun.of("validate", project.toString(), "-e", "qa").code());
    }
}
