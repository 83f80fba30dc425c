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

/** One person's approval of a deployment; the key makes a second approval by the same identity impossible. */
@Entity
@Table(name = "approval")
@IdClass(Approval.Key.class)
public class Approval extends PanacheEntityBase {

    @Id
    @Column(name = "deployment_id")
    public UUID deploymentId;
    @Id
    public String approver;
    @Column(name = "approved_at")
    public Instant approvedAt;
    public String comment;

    public static class Key implements Serializable {
        public UUID deploymentId;
        public String approver;

        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && Objects.equals(deploymentId, k.deploymentId) && Objects.equals(approver, k.approver);
        }

        @Override
        public int hashCode() {
            return Objects.hash(deploymentId, approver);
        }
    }
}
