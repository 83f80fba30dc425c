package dev.runway.demo;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The runway CLI (cli/bin/runway-cli) as the demo's user runs it, with the user's token in {@code RUNWAY_TOKEN}.
 * Its exit codes are cli/README.md's: 0 succeeded, 1 failed or rolled back, 5 refused, 6 unreachable.
 */
final class RunwayCli {

    static final ObjectMapper JSON = new ObjectMapper();

    private final Path root;
    private final String api;
    private final String token;

    RunwayCli(Path root, String api, String token) {
        this.root = root;
        this.api = api;
        this.token = token;
    }

    /** The same CLI under another person's token. */
    RunwayCli as(String otherToken) {
        return new RunwayCli(root, api, otherToken);
    }

    /** Runs it with its output on the demo's terminal (a followed timeline, the board); its exit code. */
    int show(String... args) throws IOException, InterruptedException {
        Console.flush();
        return process(args).inheritIO().start().waitFor();
    }

    /** Runs it with {@code --output json}; the JSON it printed, or a failure with what it printed. */
    JsonNode json(String... args) throws IOException, InterruptedException {
        List<String> withJson = new ArrayList<>(List.of(args));
        withJson.addAll(List.of("--output", "json"));
        Console.flush();
        Process p = process(withJson.toArray(String[]::new)).redirectInput(ProcessBuilder.Redirect.INHERIT)
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        int exit = p.waitFor();
        if (exit != 0) {
            throw new CliFailure(exit, out);
        }
        try {
            return JSON.readTree(out);
        } catch (JsonProcessingException e) {
            throw new CliFailure(exit, out);
        }
    }

    /** Runs it with its standard output discarded (its errors still shown); its exit code. */
    int quietly(String... args) throws IOException, InterruptedException {
        Console.flush();
        return process(args).redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(ProcessBuilder.Redirect.INHERIT)
                .start().waitFor();
    }

    /** Starts it in the background, everything it prints going to a file. */
    Process background(File output, String... args) throws IOException {
        return process(args).redirectErrorStream(true).redirectOutput(output).start();
    }

    private ProcessBuilder process(String... args) {
        List<String> command = new ArrayList<>(List.of(root.resolve("cli/bin/runway-cli").toString()));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command);
        Map<String, String> env = pb.environment();
        env.put("RUNWAY_URL", api);
        env.put("RUNWAY_TOKEN", token);
        return pb;
    }

    /** The CLI ended with another exit code than 0, or printed no JSON. */
    static final class CliFailure extends IOException {
        final int exit;
        final String output;

        CliFailure(int exit, String output) {
            super("the CLI exited " + exit + ": " + output.strip());
            this.exit = exit;
            this.output = output;
        }
    }
}
