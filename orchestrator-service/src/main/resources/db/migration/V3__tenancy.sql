-- Tenancy (issue 13): the unit Runway isolates is the project environment (project, environment);
-- a project belongs to a client. Existing rows are carried over: a Runway that ran the old demo keeps its history.

-- The client (tenant) of each deployment, from the manifest's project.client. Rows written before
-- tenancy stay null until their project's next deployment names its client (then they are claimed).
alter table deployment add column client text;
create index deployment_project_env on deployment (project, environment, fencing_token);
create index deployment_client on deployment (client);

-- Project registry: one row per project; safe_name (lower case, [a-z0-9-]) names namespaces,
-- directories, databases and lock keys, so two projects may never share it.
create table project (
    name       text primary key,
    safe_name  text        not null unique,
    client     text,
    created_at timestamptz not null
);
-- Old project names were DNS labels, so their safe name is the name itself; "on conflict" is a guard only.
insert into project (name, safe_name, client, created_at)
select project, trim(both '-' from regexp_replace(lower(project), '[^a-z0-9]+', '-', 'g')), null, min(created_at)
from deployment group by project
on conflict do nothing;

-- Live versions per project environment: the project comes from the deployment that released them.
alter table environment_release add column project text;
update environment_release r set project = d.project from deployment d where d.id = r.deployment_id;
alter table environment_release alter column project set not null;
alter table environment_release drop constraint environment_release_pkey;
alter table environment_release add primary key (project, environment, component);
-- Where the project environment's users reach the component (GreenDeployed.endpoints[].front).
alter table environment_release add column front text;
