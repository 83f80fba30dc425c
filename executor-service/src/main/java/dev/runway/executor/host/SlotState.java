package dev.runway.executor.host;

import java.util.TreeMap;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * The host target's picture of one component of one project environment (kept as JSON in the state
 * dir): its front (nginx port) and slot ports, which colour is live, which is the candidate and how
 * much traffic it gets, and the two slots.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public class SlotState {

    /** Safe project name (ProjectNames.safe) and environment (lower case): with the component, the key. */
    public String project;
    /** The project's name as commands give it: another name with the same safe name is refused, not mixed in. */
    public String projectName;
    public String environment;
    public String component;
    /** Port of this project environment's own nginx server for the component. */
    public int front;
    /** Blue slot's port; green is the next one. */
    public int slotPort;
    /** Colour serving traffic (null before the first promotion). */
    public String live;
    /** Colour holding the new version until promoted or removed. */
    public String candidate;
    public int candidatePercent;
    public TreeMap<String, Slot> slots = new TreeMap<>();

    public static class Slot {
        public int port;
        public long pid;
        public String version;
        public String artifact;
        public String healthcheck;
        /** The per-deployment checkout the release runs from (deleted with the slot). */
        public String checkout;
        /** The commit checked out there: the release's config/<env>.env is read from it at every (re)start. */
        public String commit;
        /** Should be running: the supervisor restarts it when it is not. */
        public boolean running;
    }

    /** Port of a colour's slot: blue = slotPort, green = slotPort + 1. */
    public int port(String colour) {
        return slotPort + ("green".equals(colour) ? 1 : 0);
    }

    public String frontUrl() {
        return "http://127.0.0.1:" + front;
    }

    public Slot slot(String colour) {
        return slots.get(colour);
    }

    /** The colour that carries traffic now: the live one, else a candidate already routed to (first release). */
    public String serving() {
        // A saga ends at ShiftTraffic 100 (PromoteGreen is optional): a candidate with all the traffic is what serves.
        if (candidate != null && candidatePercent >= 100) {
            return candidate;
        }
        if (live != null) {
            return live;
        }
        return candidate != null && weights().containsKey(candidate) ? candidate : null;
    }

    /** Weight per colour as nginx will get it (colours with 0 are left out of the upstream). */
    public TreeMap<String, Integer> weights() {
        TreeMap<String, Integer> weights = new TreeMap<>();
        if (candidate != null && slot(candidate) != null && slot(candidate).running) {
            int share = live == null ? 100 : candidatePercent;
            if (share > 0) {
                weights.put(candidate, share);
            }
            if (live != null && share < 100 && slot(live) != null && slot(live).running) {
                weights.put(live, 100 - share);
            }
        } else if (live != null && slot(live) != null && slot(live).running) {
            weights.put(live, 100);
        }
        return weights;
    }

    /** A deep copy: a plan describes a changed state without touching the stored one. */
    public SlotState copy() {
        SlotState c = new SlotState();
        c.project = project;
        c.projectName = projectName;
        c.environment = environment;
        c.component = component;
        c.front = front;
        c.slotPort = slotPort;
        c.live = live;
        c.candidate = candidate;
        c.candidatePercent = candidatePercent;
        slots.forEach((colour, slot) -> {
            Slot s = new Slot();
            s.port = slot.port;
            s.pid = slot.pid;
            s.version = slot.version;
            s.artifact = slot.artifact;
            s.healthcheck = slot.healthcheck;
            s.checkout = slot.checkout;
            s.commit = slot.commit;
            s.running = slot.running;
            c.slots.put(colour, s);
        });
        return c;
    }
}
