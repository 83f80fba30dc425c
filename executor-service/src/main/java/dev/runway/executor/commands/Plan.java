package dev.runway.executor.commands;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

import org.apache.avro.specific.SpecificRecord;

/**
 * What one command will do, as ordered steps that each describe themselves and carry their action.
 * A dry run reports the descriptions; a real run performs the actions in the same order, so the
 * plan shown is exactly what would run.
 */
public final class Plan {

    @FunctionalInterface
    public interface Action {
        void run() throws Exception;
    }

    public record Step(String description, Action action) {
    }

    private final List<Step> steps = new ArrayList<>();
    private Supplier<SpecificRecord> reply;

    public Plan step(String description, Action action) {
        steps.add(new Step(description, action));
        return this;
    }

    /** Built after the steps ran (or, in a dry run, from what they would have done). */
    public Plan reply(Supplier<SpecificRecord> reply) {
        this.reply = reply;
        return this;
    }

    public List<Step> steps() {
        return List.copyOf(steps);
    }

    public SpecificRecord buildReply() {
        return reply.get();
    }

    public List<String> descriptions() {
        return steps.stream().map(Step::description).toList();
    }

    /** Numbered lines, as stored in the command log and shown in StepProgress. */
    public String describe() {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < steps.size(); i++) {
            text.append(i + 1).append(". ").append(steps.get(i).description()).append('\n');
        }
        return text.toString();
    }
}
