package dev.runway.executor.messaging;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;

import dev.runway.events.Environment;

/**
 * One lane per project environment: its commands run one at a time, in the order they asked, while
 * other project environments' commands run beside them. A lane is a fair permit, not a lock owned by
 * a thread: the inbound pipeline may retry a command on another thread, and it keeps its lane meanwhile.
 */
final class ProjectEnvLanes {

    private final Map<String, Semaphore> lanes = new ConcurrentHashMap<>();

    /** Waits for the project environment's lane; the caller releases the returned permit when done. */
    Semaphore enter(String project, Environment environment) {
        Semaphore lane = lanes.computeIfAbsent(project + "\n" + environment.name(), key -> new Semaphore(1, true));
        lane.acquireUninterruptibly();
        return lane;
    }
}
