package dev.runway.orchestrator.project;

import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;

/**
 * A registered project: its client (tenant) and its safe name. The safe name is unique, so two
 * projects can never share a namespace, directory, database or lock.
 */
@Entity
@Table(name = "project")
public class Project extends PanacheEntityBase {

    @Id
    public String name;
    @Column(name = "safe_name")
    public String safeName;
    /** Null for a project known only from deployments made before tenancy, until a manifest names its client. */
    public String client;
    @Column(name = "created_at")
    public Instant createdAt;
}
