package dev.runway.healthwatcher.scrape;

/**
 * Requests between two scrapes and what they say: error rate in %, p95/p99 latency in ms. The rates
 * are NaN when there was no traffic ({@code why} says so): no traffic is no data, never "0 % errors".
 */
public record TrafficDelta(double requests, double errorRatePercent, double p95Ms, double p99Ms, String why) {
}
