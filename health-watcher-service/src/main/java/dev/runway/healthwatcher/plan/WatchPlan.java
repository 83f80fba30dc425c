package dev.runway.healthwatcher.plan;

import java.util.Map;

import dev.runway.healthwatcher.rules.Metric;

/**
 * What a StartWatch asks to read, once checked: each component's rendered PromQL queries and the
 * Prometheus server to ask ({@code null}: none configured for the project environment).
 */
public record WatchPlan(Map<String, Map<Metric, String>> queries, String prometheusUrl) {
}
