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

/** The version live for one component in one environment. */
@Entity
@Table(name = "environment_release")
@IdClass(EnvironmentRelease.Key.class)
public class EnvironmentRelease extends PanacheEntityBase {

    @Id
    public String environment;
    @Id
    public String component;
    public String version;
    @Column(name = "deployment_id")
    public UUID deploymentId;
    @Column(name = "released_at")
    public Instant releasedAt;

    public static class Key implements Serializable {
        public String environment;
        public String component;

        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && Objects.equals(environment, k.environment) && Objects.equals(component, k.component);
        }

        @Override
        public int hashCode() {
            return Objects.hash(environment, component);
        }
    }
}
