package dev.runway.executor.commands;

import java.time.Clock;

import org.apache.avro.specific.SpecificRecord;

import dev.runway.events.Envelopes;
import dev.runway.events.Environment;
import dev.runway.events.EventHeader;

/** The parts every executor command shares (header, step, fencing token, dry run), read once. */
public record CommandContext(SpecificRecord command, EventHeader header, String type, String step, long fencingToken,
        boolean dryRun, Clock clock) {

    public static CommandContext of(SpecificRecord command, Clock clock) {
        var schema = command.getSchema();
        if (schema.getField("step") == null || schema.getField("fencingToken") == null || schema.getField("dryRun") == null) {
            throw new IllegalArgumentException(schema.getFullName() + " is not an executor command");
        }
        return new CommandContext(command, Envelopes.headerOf(command), schema.getName(),
                String.valueOf(command.get(schema.getField("step").pos())),
                (Long) command.get(schema.getField("fencingToken").pos()),
                (Boolean) command.get(schema.getField("dryRun").pos()), clock);
    }

    public String commandId() {
        return header.getEventId();
    }

    public String deploymentId() {
        return header.getDeploymentId();
    }

    public Environment environment() {
        return header.getEnvironment();
    }

    /** The project as the header names it: with the environment, the unit Runway isolates. */
    public String project() {
        return header.getProject();
    }

    /** The project environment the command acts in; a name that cannot be made safe fails the command. */
    public ProjectEnv projectEnv() {
        return ProjectEnv.of(project(), environment());
    }

    /** Header of a reply: same deployment and correlation, caused by this command, fresh event id. */
    public EventHeader replyHeader() {
        return Envelopes.causedBy(header, clock);
    }
}
