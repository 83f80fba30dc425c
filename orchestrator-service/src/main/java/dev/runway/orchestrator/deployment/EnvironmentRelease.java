package dev.runway.orchestrator.deployment;

import java.io.Serializable;
import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;

/** The version live for one component in one project environment, and where its users reach it. */
@Entity
@Table(name = "environment_release")
@IdClass(EnvironmentRelease.Key.class)
public class EnvironmentRelease extends PanacheEntityBase {

    @Id
    public String project;
    @Id
    public String environment;
    @Id
    public String component;
    public String version;
    @Column(name = "deployment_id")
    public UUID deploymentId;
    @Column(name = "released_at")
    public Instant releasedAt;
    /** The project environment's own front for the component, as the executor reported it (null before tenancy). */
    public String front;

    public static class Key implements Serializable {
        public String project;
        public String environment;
        public String component;

        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && Objects.equals(project, k.project) && Objects.equals(environment, k.environment)
                    && Objects.equals(component, k.component);
        }

        @Override
        public int hashCode() {
            return Objects.hash(project, environment, component);
        }
    }
}
