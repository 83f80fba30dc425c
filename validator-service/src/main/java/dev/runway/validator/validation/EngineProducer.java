package dev.runway.validator.validation;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;

import dev.runway.validator.rules.Validator;

/** One rules engine per application: it loads the manifest schema once and is thread-safe. */
public class EngineProducer {

    @Produces
    @ApplicationScoped
    Validator validator() {
        return new Validator();
    }
}
