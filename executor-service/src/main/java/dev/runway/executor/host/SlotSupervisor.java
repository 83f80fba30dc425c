package dev.runway.executor.host;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import dev.runway.executor.config.ExecutorConfig;
import io.quarkus.runtime.StartupEvent;

/**
 * Every {@code runway.executor.host.supervise-every}: slot processes that should run but died are
 * restarted from their checkout, and checkouts no slot uses are deleted once old ({@link HostSlots#supervise}).
 */
@ApplicationScoped
public class SlotSupervisor {

    private final HostSlots slots;
    private final ExecutorConfig config;
    private ScheduledExecutorService supervisor;

    public SlotSupervisor(HostSlots slots, ExecutorConfig config) {
        this.slots = slots;
        this.config = config;
    }

    void start(@Observes StartupEvent event) {
        supervisor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "host-slot-supervisor");
            t.setDaemon(true);
            return t;
        });
        long every = config.host().superviseEvery().toMillis();
        supervisor.scheduleWithFixedDelay(slots::supervise, every, every, TimeUnit.MILLISECONDS);
    }

    @PreDestroy
    void stop() {
        if (supervisor != null) {
            supervisor.shutdownNow();
        }
    }
}
