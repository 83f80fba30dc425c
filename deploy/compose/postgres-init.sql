-- Run by the postgres image once, on an empty data directory (a later edit needs `docker compose down -v`).
-- The services log in as runway, not as the superuser, and each owns only its own database.
CREATE ROLE runway LOGIN PASSWORD 'runway';
CREATE DATABASE runway_registry OWNER runway;
CREATE DATABASE runway_orchestrator OWNER runway;
CREATE DATABASE runway_validator OWNER runway;
CREATE DATABASE runway_executor OWNER runway;
CREATE DATABASE runway_health OWNER runway;
CREATE DATABASE runway_notifier OWNER runway;
