package dev.runway.executor.host;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;

import org.junit.jupiter.api.Test;

/** Which slots nginx gets, and with which weights, from the host target's state. */
class SlotStateTest {

    static SlotState state(String live, String candidate, int percent, boolean blueRunning, boolean greenRunning) {
        SlotState s = new SlotState();
        s.component = "web";
        s.live = live;
        s.candidate = candidate;
        s.candidatePercent = percent;
        s.slots.put("blue", slot(blueRunning));
        s.slots.put("green", slot(greenRunning));
        return s;
    }

    static SlotState.Slot slot(boolean running) {
        SlotState.Slot slot = new SlotState.Slot();
        slot.running = running;
        return slot;
    }

    @Test
    void shouldSplitBetweenLiveAndCandidate() {
        assertEquals(Map.of("blue", 90, "green", 10), state("blue", "green", 10, true, true).weights());
        assertEquals(Map.of("blue", 50, "green", 50), state("blue", "green", 50, true, true).weights());
    }

    @Test
    void shouldLeaveOutSlotsWithNoShareSoBlueGreenIsAnAtomicSwitch() {
        assertEquals(Map.of("green", 100), state("blue", "green", 100, true, true).weights());
        assertEquals(Map.of("blue", 100), state("blue", "green", 0, true, true).weights());
    }

    @Test
    void shouldSendEverythingToAFirstReleaseAndNothingToAStoppedSlot() {
        assertEquals(Map.of("blue", 100), state(null, "blue", 10, true, false).weights(), "nothing else to split with");
        assertEquals(Map.of("blue", 100), state("blue", "green", 50, true, false).weights(), "a stopped candidate gets no traffic");
        assertEquals(Map.of(), state(null, null, 0, false, false).weights());
    }
}
