package dev.runway.executor.os;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import dev.runway.executor.commands.StepFailure;

/** Runs a short-lived program (pg_dump, nginx -t, ...) and fails with its own words when it fails. */
public final class Exec {

    public record Result(int exitCode, String output) {
    }

    private Exec() {
    }

    /** Runs {@code command}; non-zero exit or timeout becomes a {@link StepFailure} with {@code code}. */
    public static String run(String code, List<String> command, Map<String, String> env, Duration timeout) {
        Result result = attempt(command, env, timeout);
        if (result.exitCode() != 0) {
            throw new StepFailure(code, command.get(0) + " exited with " + result.exitCode() + ": " + tail(result.output()), true);
        }
        return result.output();
    }

    public static Result attempt(List<String> command, Map<String, String> env, Duration timeout) {
        Path out = null;
        try {
            out = Files.createTempFile("runway-exec", ".out");
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(out.toFile());
            builder.environment().putAll(env);
            Process process = builder.start();
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                throw new StepFailure("TIMEOUT", command.get(0) + " did not finish within " + timeout, true);
            }
            return new Result(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new StepFailure("EXEC_FAILED", "could not run " + command.get(0) + ": " + e.getMessage(), false, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StepFailure("INTERRUPTED", command.get(0) + " was interrupted", true, e);
        } finally {
            if (out != null) {
                try {
                    Files.deleteIfExists(out);
                } catch (IOException ignored) {
                    // a temp file left behind is harmless
                }
            }
        }
    }

    private static String tail(String output) {
        String trimmed = output.strip();
        return trimmed.length() > 1500 ? "…" + trimmed.substring(trimmed.length() - 1500) : trimmed;
    }
}
