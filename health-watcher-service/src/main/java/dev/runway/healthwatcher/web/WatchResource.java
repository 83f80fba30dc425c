package dev.runway.healthwatcher.web;

import java.util.List;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.jwt.JsonWebToken;
import org.eclipse.microprofile.openapi.annotations.Operation;

import dev.runway.access.ProjectScope;
import dev.runway.healthwatcher.watch.WatchService;
import io.smallrye.mutiny.Uni;

/** Live watches with each series' latest value against its threshold (what the page polls), of the token's projects. */
@Path("/watches")
public class WatchResource {

    private final WatchService watches;
    private final JsonWebToken token;

    public WatchResource(WatchService watches, JsonWebToken token) {
        this.watches = watches;
        this.token = token;
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    @RolesAllowed({ Roles.VIEWER, Roles.DEPLOYER, Roles.APPROVER, Roles.SRE })
    @Operation(summary = "Watches of the token's projects running in this instance, newest first")
    public Uni<List<WatchView>> live() {
        ProjectScope scope = CallerScope.of(token);
        return Uni.createFrom().item(() -> watches.live(scope).stream().map(WatchView::of).toList());
    }
}
