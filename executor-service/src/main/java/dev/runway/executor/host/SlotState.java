package dev.runway.executor.host;

import java.util.TreeMap;

/**
 * The host target's picture of one component in one environment (kept as JSON in the state dir):
 * which colour is live, which is the candidate and how much traffic it gets, and the two slots.
 */
public class SlotState {

    public String component;
    public int index;
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
        /** Should be running: the supervisor restarts it when it is not. */
        public boolean running;
    }

    public Slot slot(String colour) {
        return slots.get(colour);
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
}
