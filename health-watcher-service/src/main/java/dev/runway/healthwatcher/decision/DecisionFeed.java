package dev.runway.healthwatcher.decision;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.operators.multi.processors.BroadcastProcessor;

/** Decisions as they are published, for the SSE stream (each subscriber sees what comes after it joined). */
@ApplicationScoped
public class DecisionFeed {

    private final BroadcastProcessor<DecisionView> processor = BroadcastProcessor.create();

    public void emit(DecisionView view) {
        processor.onNext(view);
    }

    public Multi<DecisionView> stream() {
        return processor;
    }
}
