package dev.runway.orchestrator.deployment;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.runway.events.ReleaseEndpoint;

/**
 * Where each component's new and serving releases answer, and the project environment's own front for it, as
 * the executor reported in GreenDeployed; stored on the deployment as JSON by component.
 */
@ApplicationScoped
public class ReleaseEndpoints {

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Endpoint(String url, String baselineUrl, String front) {
        static final Endpoint NONE = new Endpoint(null, null, null);
    }

    private static final TypeReference<Map<String, Endpoint>> BY_COMPONENT = new TypeReference<>() {
    };

    private final ObjectMapper json;

    public ReleaseEndpoints(ObjectMapper json) {
        this.json = json;
    }

    public void record(Deployment d, List<ReleaseEndpoint> endpoints) {
        Map<String, Endpoint> byComponent = new TreeMap<>();
        endpoints.forEach(e -> byComponent.put(e.getComponent(), new Endpoint(e.getUrl(), e.getBaselineUrl(), e.getFront())));
        try {
            d.releaseEndpoints = json.writeValueAsString(byComponent);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("endpoints not serialisable", e);
        }
    }

    /** Every component's endpoints, read once; a component the executor did not report has none. */
    public Map<String, Endpoint> of(Deployment d) {
        if (d.releaseEndpoints == null) {
            return Map.of();
        }
        try {
            return json.readValue(d.releaseEndpoints, BY_COMPONENT);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored endpoints unreadable for " + d.id, e);
        }
    }

    public static Endpoint of(Map<String, Endpoint> all, String component) {
        return all.getOrDefault(component, Endpoint.NONE);
    }
}
