package dev.runway.notifier.render;

/** A notice in one channel's form: {@code subject} for e-mail (null elsewhere), {@code body} as sent. */
public record Rendered(String subject, String body) {
}
