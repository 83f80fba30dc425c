-- Orchestrator state: deployments and their sagas, steps, approvals, audit, idempotent consumers, outbox.

create table deployment (
    id                 uuid primary key,
    project            text        not null,
    version            text        not null,
    environment        text        not null,
    strategy           text        not null,
    target             text        not null,
    dry_run            boolean     not null,
    requested_by       text        not null,
    components         text        not null, -- JSON: the component specs sent to the executor
    plan               text        not null, -- JSON: saga shape, thresholds, window
    manifest           text,
    repository_url     text,
    repository_commit  text,
    repository_ref     text,
    ci_evidence        text,
    scan_report        text,
    required_approvals integer     not null,
    window_override    boolean     not null default false,
    state              text        not null,
    current_step       text,
    reason             text,
    saga               text        not null, -- JSON: Saga.Snapshot
    fencing_token      bigint,
    lock_held          boolean     not null default false,
    backup_id          text,
    applied_migrations text,
    deadline_at        timestamptz,
    idempotency_key    text unique,
    request_hash       text,
    created_at         timestamptz not null,
    updated_at         timestamptz not null,
    started_at         timestamptz,
    finished_at        timestamptz,
    row_version        bigint      not null default 0
);
create index deployment_env_state on deployment (environment, state);
create index deployment_project on deployment (project);
create index deployment_deadline on deployment (deadline_at) where finished_at is null;

create table deployment_step (
    id               bigserial primary key,
    deployment_id    uuid        not null references deployment (id),
    name             text        not null,
    kind             text        not null, -- FORWARD | COMPENSATION
    status           text        not null, -- RUNNING | COMPLETED | FAILED | ABANDONED
    command_event_id text,
    started_at       timestamptz not null,
    finished_at      timestamptz,
    detail           text
);
create index deployment_step_deployment on deployment_step (deployment_id, id);

create table approval (
    deployment_id uuid        not null references deployment (id),
    approver      text        not null,
    approved_at   timestamptz not null,
    comment       text,
    primary key (deployment_id, approver)
);

-- Append-only: who did what, when and why; every event that moved a saga.
create table audit_log (
    id            bigserial primary key,
    deployment_id uuid        not null references deployment (id),
    at            timestamptz not null,
    actor         text        not null,
    action        text        not null,
    detail        text,
    event_id      text
);
create index audit_log_deployment on audit_log (deployment_id, id);

-- Idempotent consumers: written in the same transaction as the state change it caused.
create table processed_message (
    event_id      text primary key,
    deployment_id uuid,
    record_type   text        not null,
    processed_at  timestamptz not null
);

-- Transactional outbox: rows commit with the state change; the relay publishes them in id order.
create table outbox (
    id           bigserial primary key,
    topic        text        not null,
    message_key  text        not null,
    record_type  text        not null,
    event_id     text        not null unique,
    payload      bytea       not null, -- Avro binary of the specific record
    created_at   timestamptz not null,
    published_at timestamptz
);
create index outbox_unpublished on outbox (id) where published_at is null;

-- What runs where: the live version per component and environment.
create table environment_release (
    environment   text        not null,
    component     text        not null,
    version       text        not null,
    deployment_id uuid        not null references deployment (id),
    released_at   timestamptz not null,
    primary key (environment, component)
);
