package dev.runway.notifier.routing;

/** Where a notification goes. */
public enum Channel {
    SLACK, EMAIL, WEBHOOK
}
