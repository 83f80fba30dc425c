-- Tenancy: every deployment, delivery and dead letter names its project and client (tenant), so the log
-- is read per project environment and filtered by the reader's runway_projects. Rows from before have
-- their project already and no client (unknown then): those stay visible to agency-wide readers only.
ALTER TABLE deployments ADD COLUMN client TEXT;
ALTER TABLE deliveries ADD COLUMN client TEXT;

ALTER TABLE dead_letters ADD COLUMN project TEXT;
ALTER TABLE dead_letters ADD COLUMN client TEXT;
UPDATE dead_letters l SET project = d.project, client = d.client FROM deliveries d WHERE d.id = l.delivery_id;
ALTER TABLE dead_letters ALTER COLUMN project SET NOT NULL;

CREATE INDEX deliveries_project_environment ON deliveries (project, environment, id);
CREATE INDEX deliveries_client ON deliveries (client, project, id);
CREATE INDEX dead_letters_client ON dead_letters (client, project, id);
