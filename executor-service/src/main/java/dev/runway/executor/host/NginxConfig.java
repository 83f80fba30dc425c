package dev.runway.executor.host;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Runway's nginx config, rendered from the host target's slot states (no I/O): one upstream with
 * the slots' weights and one {@code server} on its own front port per project environment and component.
 */
final class NginxConfig {

    private NginxConfig() {
    }

    /**
     * One upstream and one {@code server} per project environment and component that has a slot
     * receiving traffic: each project environment listens on its own front port.
     */
    static String servers(List<SlotState> states) {
        StringBuilder out = new StringBuilder();
        for (SlotState state : states) {
            if (state.weights().isEmpty()) {
                continue;
            }
            out.append("    # ").append(state.project).append(" in ").append(state.environment).append(": ").append(state.component).append('\n');
            out.append("    ").append(upstream(state)).append('\n');
            out.append("    server { listen 127.0.0.1:").append(state.front).append("; location / { proxy_pass http://")
                    .append(upstreamName(state)).append("; proxy_set_header Host $host; proxy_next_upstream error timeout; } }\n");
        }
        return out.toString();
    }

    static String upstream(SlotState state) {
        TreeMap<String, Integer> weights = state.weights();
        if (weights.isEmpty()) {
            return "upstream " + upstreamName(state) + " removed (no slot receives traffic)";
        }
        StringBuilder u = new StringBuilder("upstream ").append(upstreamName(state)).append(" {");
        for (Map.Entry<String, Integer> w : weights.entrySet()) {
            u.append(" server 127.0.0.1:").append(state.port(w.getKey())).append(" weight=").append(w.getValue()).append(";");
        }
        return u.append(" }").toString();
    }

    /** {@code staging__demo_shop__web}: unique per project environment and component. */
    static String upstreamName(SlotState state) {
        return (state.environment + "__" + state.project + "__" + state.component).replaceAll("[^A-Za-z0-9_]", "_");
    }

    /** The http-level server blocks become a whole nginx.conf with every path inside the prefix. */
    static String render(Path prefix, String servers) {
        return """
                # Written by Runway's executor; changes are checked with nginx -t and applied by reload.
                worker_processes 1;
                pid %1$s/nginx.pid;
                error_log %1$s/error.log warn;
                events { worker_connections 1024; }
                http {
                    access_log off;
                    client_body_temp_path %1$s/tmp/client_body;
                    proxy_temp_path %1$s/tmp/proxy;
                    fastcgi_temp_path %1$s/tmp/fastcgi;
                    uwsgi_temp_path %1$s/tmp/uwsgi;
                    scgi_temp_path %1$s/tmp/scgi;
                %2$s}
                """.formatted(prefix, servers);
    }
}
