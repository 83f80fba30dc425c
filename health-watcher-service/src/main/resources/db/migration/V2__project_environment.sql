-- Tenancy: a watch and its decisions belong to a project environment (project, environment) of a
-- client. Rows written before carry the project already (watch.project) but no client: those stay
-- visible to agency-wide readers only, since a scope cannot be matched without the client.
alter table watch add column client text;

alter table decision add column project text;
alter table decision add column client text;
update decision d set project = w.project, client = w.client from watch w where w.watch_id = d.watch_id;
alter table decision alter column project set not null;

-- Lists are read per project environment (and per client for scoped readers), never per environment alone.
drop index decision_by_environment;
create index decision_by_project_environment on decision (project, environment, decided_at desc);
create index decision_by_client on decision (client, project, decided_at desc);
create index watch_by_project_environment on watch (project, environment, started_at desc);
