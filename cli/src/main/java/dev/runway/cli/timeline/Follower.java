package dev.runway.cli.timeline;

import java.io.PrintStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Function;

import com.fasterxml.jackson.databind.JsonNode;

import dev.runway.cli.ExitCodes;
import dev.runway.cli.api.ApiException;
import dev.runway.cli.api.UnreachableException;
import dev.runway.cli.api.Views.Deployment;
import dev.runway.cli.deploy.Durations;

/**
 * Follows one deployment until a final state: polls it, prints what is new through a
 * {@link Timeline}, shows the running step's elapsed time (redrawn in place on a terminal, a line
 * every {@code progressEvery} otherwise), and ends with the summary. Gives up after the timeout
 * (exit 4) or when the orchestrator stays unreachable longer than {@code unreachableBudget}.
 */
public final class Follower {

    /** One poll: the deployment as a record and as the API's JSON. */
    public record Snapshot(Deployment view, JsonNode json) {
    }

    /** Where snapshots come from (the API in the CLI; a list of recorded snapshots in tests). */
    @FunctionalInterface
    public interface Source {
        Snapshot fetch();
    }

    @FunctionalInterface
    public interface Sleeper {
        void sleep(Duration d) throws InterruptedException;
    }

    /** How the follow ended: the last snapshot and the exit code. */
    public record Result(Snapshot last, int exitCode) {
    }

    private final Source source;
    private final Timeline timeline;
    private final PrintStream out;
    private final PrintStream err;
    private final boolean tty;
    private final boolean quiet;
    private final Clock clock;
    private final Sleeper sleeper;
    private final Duration poll;
    private final Duration progressEvery;
    private final Duration unreachableBudget;
    private Function<Deployment, Optional<String>> lockHolder = d -> Optional.empty();
    private boolean progressShown;

    /**
     * @param quiet print nothing (JSON output: the caller prints the final view)
     */
    public Follower(Source source, Timeline timeline, PrintStream out, PrintStream err, boolean tty, boolean quiet, Clock clock,
            Sleeper sleeper, Duration poll, Duration progressEvery, Duration unreachableBudget) {
        this.source = source;
        this.timeline = timeline;
        this.out = out;
        this.err = err;
        this.tty = tty;
        this.quiet = quiet;
        this.clock = clock;
        this.sleeper = sleeper;
        this.poll = poll;
        this.progressEvery = progressEvery;
        this.unreachableBudget = unreachableBudget;
    }

    /** Who holds the environment's lock (asked once when the deployment is queued), for the waiting line. */
    public Follower lockHolder(Function<Deployment, Optional<String>> lookup) {
        this.lockHolder = lookup;
        return this;
    }

    /** Follows until a final state or the timeout ({@code null}: no timeout). */
    public Result follow(Duration timeout) throws InterruptedException {
        Instant start = clock.instant();
        Instant deadline = timeout == null ? null : start.plus(timeout);
        Instant lastAnswer = start;
        Snapshot last = null;
        boolean headerPrinted = false;
        boolean holderAsked = false;
        while (true) {
            Snapshot snapshot = null;
            try {
                snapshot = source.fetch();
                lastAnswer = clock.instant();
            } catch (UnreachableException | ApiException e) {
                boolean transientFailure = e instanceof UnreachableException || ((ApiException) e).status() >= 500;
                if (!transientFailure || Duration.between(lastAnswer, clock.instant()).compareTo(unreachableBudget) > 0) {
                    clearProgress();
                    throw e;
                }
            }
            if (snapshot != null) {
                last = snapshot;
                Deployment d = snapshot.view();
                if (!quiet) {
                    if (!headerPrinted) {
                        print(timeline.header(d));
                        headerPrinted = true;
                    }
                    timeline.update(d).forEach(this::print);
                    if ("QUEUED".equals(d.state()) && !holderAsked) {
                        holderAsked = true;
                        lockHolder.apply(d).ifPresent(h -> print("          held by " + h));
                    }
                }
                if (ExitCodes.isFinal(d.state())) {
                    if (!quiet) {
                        print(timeline.summary(d));
                    }
                    return new Result(snapshot, ExitCodes.ofState(d.state()));
                }
            }
            Instant now = clock.instant();
            if (deadline != null && !now.isBefore(deadline)) {
                clearProgress();
                String state = last == null ? "unknown" : last.view().state();
                err.println("timed out after " + Durations.human(Duration.between(start, now)) + ": the deployment is still "
                        + state + " and goes on (follow it: runway logs " + (last == null ? "<id>" : last.view().id())
                        + " --follow)");
                return new Result(last, ExitCodes.TIMEOUT);
            }
            if (!quiet && last != null) {
                if (tty) {
                    Optional<String> line = timeline.progress(last.view(), now);
                    if (line.isPresent()) {
                        out.print("\r\033[K" + line.get());
                        out.flush();
                        progressShown = true;
                    }
                } else {
                    timeline.periodic(last.view(), now, progressEvery).ifPresent(out::println);
                }
            }
            sleeper.sleep(poll);
        }
    }

    private void print(String line) {
        clearProgress();
        out.println(line);
    }

    private void clearProgress() {
        if (progressShown) {
            out.print("\r\033[K");
            out.flush();
            progressShown = false;
        }
    }
}
