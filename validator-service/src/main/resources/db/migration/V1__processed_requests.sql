-- One row per deployment the validator has answered: a redelivered or repeated DeployRequested for
-- the same deployment is acknowledged without validating or publishing again.
CREATE TABLE processed_request (
    deployment_id    VARCHAR(64)  PRIMARY KEY,
    request_event_id VARCHAR(64)  NOT NULL,
    result_event_id  VARCHAR(64)  NOT NULL,
    outcome          VARCHAR(32)  NOT NULL,
    processed_at     TIMESTAMPTZ  NOT NULL DEFAULT now()
);
