-- Every command the executor has seen, by command id (= header.eventId): the idempotency record.
-- status STARTED is written before the first side effect, FINISHED (with the reply) after the last.
CREATE TABLE executor_command (
    command_id     VARCHAR(64) PRIMARY KEY,
    deployment_id  VARCHAR(64)  NOT NULL,
    environment    VARCHAR(16)  NOT NULL,
    command_type   VARCHAR(64)  NOT NULL,
    step           VARCHAR(200) NOT NULL,
    fencing_token  BIGINT       NOT NULL,
    dry_run        BOOLEAN      NOT NULL,
    status         VARCHAR(16)  NOT NULL CHECK (status IN ('STARTED', 'FINISHED')),
    plan           TEXT         NOT NULL,
    command_class  VARCHAR(200) NOT NULL,
    command        BYTEA        NOT NULL,
    reply_type     VARCHAR(200),
    reply          BYTEA,
    started_at     TIMESTAMPTZ  NOT NULL DEFAULT now(),
    finished_at    TIMESTAMPTZ
);
CREATE INDEX executor_command_started ON executor_command (status) WHERE status = 'STARTED';

-- Newest fencing token seen per environment; only ever raised (compare-and-set).
CREATE TABLE executor_fencing (
    environment    VARCHAR(16) PRIMARY KEY,
    newest_token   BIGINT      NOT NULL,
    updated_at     TIMESTAMPTZ NOT NULL DEFAULT now()
);

-- What one deployment's earlier commands decided (target, slot, backup, applied migrations),
-- so later commands and compensations act on the same things.
CREATE TABLE executor_deployment_fact (
    deployment_id  VARCHAR(64)  NOT NULL,
    name           VARCHAR(100) NOT NULL,
    value          TEXT         NOT NULL,
    PRIMARY KEY (deployment_id, name)
);
