package dev.runway.orchestrator.deployment;

import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;

/** One execution of a saga step (forward or compensation) with its times and outcome. */
@Entity
@Table(name = "deployment_step")
public class DeploymentStep extends PanacheEntityBase {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;
    @Column(name = "deployment_id")
    public UUID deploymentId;
    public String name;
    public String kind;
    @Enumerated(EnumType.STRING)
    public StepStatus status;
    @Column(name = "command_event_id")
    public String commandEventId;
    @Column(name = "started_at")
    public Instant startedAt;
    @Column(name = "finished_at")
    public Instant finishedAt;
    public String detail;
}
