package dev.runway.orchestrator.support;

/** Deploy manifests for tests, valid against schemas/deploy-manifest.schema.json. */
public final class Manifests {

    private Manifests() {
    }

    /** A web + api project of client acme; {@code database} adds migrations, {@code deployment} is the YAML of the deployment block body. */
    public static String of(String project, boolean database, String deployment) {
        return of(project, "acme", database, deployment);
    }

    /** As {@link #of(String, boolean, String)} for a project of {@code client} (null: the manifest names no client). */
    public static String of(String project, String client, boolean database, String deployment) {
        return """
                version: "1.0"
                project:
                  name: %s
                %s  type: web
                components:
                  web:
                    port: 3000
                    healthcheck: /health
                    deploy:
                      image: registry.example.com/%s/web:1
                      artifact: "java examples/demo-app/DemoApp.java"
                  api:
                    port: 4000
                    healthcheck: /health
                    deploy:
                      image: registry.example.com/%s/api:1
                      artifact: "java examples/demo-app/DemoApp.java"
                %sdeployment:
                  monitoring_window_seconds: 1
                  canary:
                    pause_seconds: 0
                %s
                """.formatted(project, client == null ? "" : "  client: " + client + "\n", project, project,
                database ? "database:\n  type: postgresql\n  migrations:\n    path: database/migrations\n" : "",
                deployment == null ? "" : deployment.indent(2).stripTrailing());
    }
}
