-- Issue 15 items 2 and 6.

-- The name of an operator-configured repository credential (never the credential itself): passed in
-- RepositoryRef.credential, resolved by the validator and the executor from their own configuration.
alter table deployment add column repository_credential text;

-- The migration set ValidationPassed recorded (JSON {path, sha256, files: [{file, sha256}]}), carried into
-- ApplyMigrations.validatedMigrations so that the executor runs only what was validated.
alter table deployment add column validated_migrations text;
