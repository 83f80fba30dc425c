package dev.runway.orchestrator.deployment;

import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;

import dev.runway.orchestrator.saga.DeploymentState;
import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;

/** A deployment and the persistent state of its saga; {@code rowVersion} guards concurrent writers. */
@Entity
@Table(name = "deployment")
public class Deployment extends PanacheEntityBase {

    @Id
    public UUID id;
    public String project;
    /**
     * The project's client (tenant): the manifest's project.client, else the project's registered client. Only the
     * registry's claim of a project from before tenancy changes it (one bulk update), so a saga flushing a row it
     * loaded earlier must never write it back: not updatable through the entity.
     */
    @Column(updatable = false)
    public String client;
    public String version;
    public String environment;
    public String strategy;
    public String target;
    @Column(name = "dry_run")
    public boolean dryRun;
    @Column(name = "requested_by")
    public String requestedBy;
    public String components;
    public String plan;
    public String manifest;
    @Column(name = "repository_url")
    public String repositoryUrl;
    @Column(name = "repository_commit")
    public String repositoryCommit;
    @Column(name = "repository_ref")
    public String repositoryRef;
    /** Name of an operator-configured repository credential, resolved by the validator and the executor; never a secret. */
    @Column(name = "repository_credential")
    public String repositoryCredential;
    /** JSON of the MigrationSet the validator recorded (ValidationPassed.migrations), for ApplyMigrations. */
    @Column(name = "validated_migrations")
    public String validatedMigrations;
    @Column(name = "ci_evidence")
    public String ciEvidence;
    @Column(name = "scan_report")
    public String scanReport;
    @Column(name = "required_approvals")
    public int requiredApprovals;
    @Column(name = "window_override")
    public boolean windowOverride;
    @Enumerated(EnumType.STRING)
    public DeploymentState state;
    @Column(name = "current_step")
    public String currentStep;
    public String reason;
    public String saga;
    @Column(name = "fencing_token")
    public Long fencingToken;
    @Column(name = "lock_held")
    public boolean lockHeld;
    @Column(name = "backup_id")
    public String backupId;
    @Column(name = "applied_migrations")
    public String appliedMigrations;
    /** JSON {component: {url, baselineUrl}} from GreenDeployed; see SagaRunner#url. */
    @Column(name = "release_endpoints")
    public String releaseEndpoints;
    /** The colour the executor deployed this release to (GreenDeployed, confirmed by GreenPromoted); null for rolling. */
    @Column(name = "new_slot")
    public String newSlot;
    @Column(name = "deadline_at")
    public Instant deadlineAt;
    @Column(name = "idempotency_key")
    public String idempotencyKey;
    @Column(name = "request_hash")
    public String requestHash;
    @Column(name = "created_at")
    public Instant createdAt;
    @Column(name = "updated_at")
    public Instant updatedAt;
    @Column(name = "started_at")
    public Instant startedAt;
    @Column(name = "finished_at")
    public Instant finishedAt;
    @Version
    @Column(name = "row_version")
    public long rowVersion;
}
