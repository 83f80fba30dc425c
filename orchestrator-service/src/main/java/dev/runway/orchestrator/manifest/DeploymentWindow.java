package dev.runway.orchestrator.manifest;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.Set;

/**
 * When deployments to an environment may start (manifest {@code deployment.window.<env>}).
 * A window whose end is before its start spans midnight.
 */
public record DeploymentWindow(Set<DayOfWeek> days, LocalTime start, LocalTime end, ZoneId zone) {

    public boolean isOpen(Instant at) {
        ZonedDateTime local = at.atZone(zone);
        LocalTime time = local.toLocalTime();
        if (!start.isAfter(end)) {
            return days.contains(local.getDayOfWeek()) && !time.isBefore(start) && time.isBefore(end);
        }
        // Overnight window: the part after midnight belongs to the day it started on.
        if (!time.isBefore(start)) {
            return days.contains(local.getDayOfWeek());
        }
        return time.isBefore(end) && days.contains(local.getDayOfWeek().minus(1));
    }

    /** The next instant at or after {@code from} when the window is open (scans a week by minutes' edges). */
    public Instant nextOpening(Instant from) {
        if (isOpen(from)) {
            return from;
        }
        ZonedDateTime local = from.atZone(zone);
        for (int day = 0; day <= 7; day++) {
            ZonedDateTime candidate = local.toLocalDate().plusDays(day).atTime(start).atZone(zone);
            if (!candidate.toInstant().isBefore(from) && days.contains(candidate.getDayOfWeek())) {
                return candidate.toInstant();
            }
        }
        return from;
    }

    @Override
    public String toString() {
        return days + " " + start + "-" + end + " " + zone;
    }
}
