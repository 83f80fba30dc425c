package dev.runway.validator.validation;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Settings of the validation service. */
@ConfigMapping(prefix = "runway.validator")
public interface ValidatorSettings {

    /** Longest a clone of a remote repository (https, ssh, file://) may take. */
    @WithDefault("60s")
    Duration cloneTimeout();

    /** Most checks sent in one report; failures and warnings are kept first. Keeps records well under Kafka's 1 MB. */
    @WithDefault("400")
    int maxReportedChecks();
}
