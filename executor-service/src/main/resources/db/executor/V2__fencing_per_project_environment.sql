-- Issue 13: the isolation unit is the project environment, so the newest fencing token is kept per
-- (project, environment). Rows written before this migration were per environment only and do not
-- say which project's lock they fenced: they are kept, under the placeholder project '*' (no real
-- project is called that: header.project is made of letters, digits and separators), as history.
-- They fence nothing any more: each project environment's lock starts its own token sequence.
ALTER TABLE executor_fencing ADD COLUMN project VARCHAR(200) NOT NULL DEFAULT '*';
ALTER TABLE executor_fencing ALTER COLUMN project DROP DEFAULT;
ALTER TABLE executor_fencing DROP CONSTRAINT executor_fencing_pkey;
ALTER TABLE executor_fencing ADD PRIMARY KEY (project, environment);

-- Which project a logged command was for (older rows: unknown).
ALTER TABLE executor_command ADD COLUMN project VARCHAR(200);
