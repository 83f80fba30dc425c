-- Issue 14 item 9 / issue 18 item 3: the orchestrator promotes the new colour and, after the keep
-- period, decommissions the colour it replaced (docs/sop.md#003-32-step-7-decommission-the-old-colour).

-- The colour the executor deployed a blue-green or canary release to (GreenDeployed.slot, confirmed
-- by GreenPromoted.slot); the colour it replaced is the other one. Older rows: unknown (null).
alter table deployment add column new_slot text;

-- One row per successful blue-green or canary deployment that replaced a running release: that
-- release keeps running in its colour until keep_until, then a Decommission is sent for it.
create table kept_release (
    deployment_id    uuid primary key references deployment (id), -- the deployment that replaced it
    project          text        not null,
    environment      text        not null,
    client           text,
    slot             text        not null, -- the kept colour (Decommission.slot)
    components       text        not null, -- JSON [{component, version, deploymentId}]: what runs in it
    deployment_token bigint      not null, -- the replacing deployment's fencing token; a higher one is a newer deployment
    keep_until       timestamptz not null,
    status           text        not null, -- KEPT | SENT | DECOMMISSIONED | SKIPPED | FAILED
    fencing_token    bigint,               -- the token of the lock taken to send the Decommission
    command_event_id text,
    sent_at          timestamptz,
    deadline_at      timestamptz,          -- a SENT row without a reply by then is recorded FAILED
    finished_at      timestamptz,
    detail           text,
    created_at       timestamptz not null,
    row_version      bigint      not null default 0
);
create index kept_release_due on kept_release (keep_until) where status = 'KEPT';
create index kept_release_sent on kept_release (deadline_at) where status = 'SENT';
create index kept_release_project_env on kept_release (project, environment, status);
