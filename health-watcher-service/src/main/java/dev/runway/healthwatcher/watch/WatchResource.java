package dev.runway.healthwatcher.watch;

import java.util.List;
import java.util.Map;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;

import io.smallrye.mutiny.Uni;

/** Live watches with each series' latest value against its threshold (what the page polls). */
@Path("/watches")
public class WatchResource {

    private final WatchService watches;

    public WatchResource(WatchService watches) {
        this.watches = watches;
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Watches running in this instance, newest first")
    public Uni<List<Map<String, Object>>> live() {
        return Uni.createFrom().item(watches::views);
    }
}
