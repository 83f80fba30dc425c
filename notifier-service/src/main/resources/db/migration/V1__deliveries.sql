-- What the notifier knows about a deployment: the routing its DeployRequested manifest asked for
-- (deployment.notifications) and the facts later messages need (version, requester, incident).
CREATE TABLE deployments (
    deployment_id        TEXT PRIMARY KEY,
    environment          TEXT        NOT NULL,
    project              TEXT        NOT NULL,
    version              TEXT,
    requested_by         TEXT,
    components           TEXT,
    -- NULL = the manifest said nothing (fall back to the environment's defaults).
    slack_channel        TEXT,
    emails               JSONB,
    -- Manifest webhook URLs can carry tokens: kept here only to send, never returned by the API.
    webhooks             JSONB,
    incident_priority    TEXT,
    incident_started_at  TIMESTAMPTZ,
    created_at           TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at           TIMESTAMPTZ NOT NULL DEFAULT now()
);

-- The delivery log: one row per (event, endpoint). The unique constraint is what makes a
-- redelivered Kafka record produce no second message.
CREATE TABLE deliveries (
    id               BIGSERIAL PRIMARY KEY,
    event_id         TEXT        NOT NULL,
    event_type       TEXT        NOT NULL,
    deployment_id    TEXT        NOT NULL,
    environment      TEXT        NOT NULL,
    project          TEXT        NOT NULL,
    severity         TEXT        NOT NULL,
    channel          TEXT        NOT NULL,
    -- Endpoint identity without secrets: slack:#channel, email:address, webhook:name, webhook:https://host/…#hash.
    endpoint         TEXT        NOT NULL,
    subject          TEXT,
    payload          TEXT        NOT NULL,
    fingerprint      TEXT        NOT NULL,
    status           TEXT        NOT NULL,
    attempts         INT         NOT NULL DEFAULT 0,
    max_attempts     INT         NOT NULL,
    last_error       TEXT,
    collapsed_into   BIGINT REFERENCES deliveries (id),
    repeats          INT         NOT NULL DEFAULT 0,
    next_attempt_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
    lease_until      TIMESTAMPTZ,
    created_at       TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at       TIMESTAMPTZ NOT NULL DEFAULT now(),
    delivered_at     TIMESTAMPTZ,
    CONSTRAINT deliveries_once_per_event_endpoint UNIQUE (event_id, endpoint),
    CONSTRAINT deliveries_status CHECK (status IN ('PENDING', 'SENDING', 'DELIVERED', 'DEAD', 'COLLAPSED'))
);

CREATE INDEX deliveries_due ON deliveries (next_attempt_at) WHERE status IN ('PENDING', 'SENDING');
CREATE INDEX deliveries_deployment ON deliveries (deployment_id, id);
CREATE INDEX deliveries_denoise ON deliveries (endpoint, fingerprint, created_at);

-- Dead letters: a delivery that gave up (attempts exhausted or a permanent refusal).
CREATE TABLE dead_letters (
    id             BIGSERIAL PRIMARY KEY,
    delivery_id    BIGINT      NOT NULL UNIQUE REFERENCES deliveries (id),
    event_id       TEXT        NOT NULL,
    deployment_id  TEXT        NOT NULL,
    channel        TEXT        NOT NULL,
    endpoint       TEXT        NOT NULL,
    attempts       INT         NOT NULL,
    reason         TEXT        NOT NULL,
    payload        TEXT        NOT NULL,
    created_at     TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX dead_letters_deployment ON dead_letters (deployment_id);
