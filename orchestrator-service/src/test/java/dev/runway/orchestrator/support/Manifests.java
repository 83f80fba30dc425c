package dev.runway.orchestrator.support;

/** Deploy manifests for tests, valid against schemas/deploy-manifest.schema.json. */
public final class Manifests {

    private Manifests() {
    }

    /** A web + api project; {@code database} adds migrations, {@code deployment} is the YAML of the deployment block body. */
    public static String of(String project, boolean database, String deployment) {
        return """
                version: "1.0"
                project:
                  name: %s
                  client: acme
                  type: web
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
                  monitoring_window_seconds: 0
                  canary:
                    pause_seconds: 0
                %s
                """.formatted(project, project, project,
                database ? "database:\n  type: postgresql\n  migrations:\n    path: database/migrations\n" : "",
                deployment == null ? "" : deployment.indent(2).stripTrailing());
    }
}
