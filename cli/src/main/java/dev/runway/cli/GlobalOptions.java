package dev.runway.cli;

import picocli.CommandLine.Option;

/** Options every command takes, before or after its name. */
public class GlobalOptions {

    @Option(names = "--url", paramLabel = "<url>", description = "Orchestrator API (env RUNWAY_URL; default http://127.0.0.1:8080).")
    String url;

    @Option(names = "--token", paramLabel = "<token>", description = "Bearer token (env RUNWAY_TOKEN); never printed.")
    String token;

    @Option(names = "--output", paramLabel = "text|json", description = "text (default) or json: the API's JSON, for machines.")
    String output;

    @Option(names = "--no-color", description = "No colours (also when the output is not a terminal, or NO_COLOR is set).")
    boolean noColor;

    @Option(names = "--poll-interval", hidden = true, paramLabel = "<duration>", description = "How often --wait/--follow ask (default 500ms).")
    String pollInterval;

    @Option(names = { "-h", "--help" }, usageHelp = true, description = "Show this help and exit.")
    boolean help;
}
