package dev.runway.notifier.delivery;

/**
 * PENDING (due at next_attempt_at) → SENDING (claimed, leased) → DELIVERED, or back to PENDING
 * after a failed attempt, or DEAD (dead letter) after the last one. COLLAPSED: an identical
 * notification to the same endpoint was already sent within the de-noising window.
 */
public enum DeliveryStatus {
    PENDING, SENDING, DELIVERED, DEAD, COLLAPSED
}
