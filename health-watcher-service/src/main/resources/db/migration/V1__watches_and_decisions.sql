-- One row per StartWatch. The status moves once from WATCHING to PASSED, BREACHED or STOPPED; that
-- single conditional update is what makes "one breach -> one decision per watch" hold across
-- redelivery and restarts.
create table watch (
    watch_id             text primary key,
    deployment_id        text        not null,
    environment          text        not null,
    project              text        not null,
    step                 text        not null,
    start_event_id       text        not null,
    start_command        bytea       not null, -- the StartWatch (Avro binary), to resume after a restart
    status               text        not null,
    started_at           timestamptz not null,
    ends_at              timestamptz not null, -- window end, moved on when a window lacked data
    insufficient_windows int         not null default 0,
    ended_at             timestamptz,
    end_reason           text
);
create index watch_active on watch (status) where status = 'WATCHING';

-- Every record the watcher decided to publish, with the evidence people see.
create table decision (
    event_id      text primary key,
    watch_id      text        not null references watch (watch_id),
    kind          text        not null,
    deployment_id text        not null,
    environment   text        not null,
    decided_at    timestamptz not null,
    view          jsonb       not null, -- what GET /decisions, the stream and the page show
    record        bytea       not null, -- the Avro record, sent again if the broker never acknowledged it
    published_at  timestamptz,
    unique (watch_id, kind)
);
create index decision_by_environment on decision (environment, decided_at desc);
create index decision_by_deployment on decision (deployment_id, decided_at desc);
create index decision_unpublished on decision (decided_at) where published_at is null;
