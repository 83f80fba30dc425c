package dev.runway.validator.rules;

import static dev.runway.validator.fixtures.Reports.assertFailed;
import static dev.runway.validator.fixtures.Reports.assertPassed;
import static dev.runway.validator.fixtures.Reports.dump;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import org.junit.jupiter.api.Test;

import dev.runway.validator.fixtures.FixtureRepo;

/** Phase 3: environment config, required variables, committed secrets (sop.md 000-5.3). */
class EnvironmentRulesTest {

    static final String STAGING = "config/staging.env";

    @Test
    void missingEnvironmentConfigFails() {
        try (FixtureRepo repo = FixtureRepo.released()) {
            repo.delete(STAGING).release("v1.1.0");
            assertFailed(repo.validate(), Rule.ENV_CONFIG_FILE, "Missing environment config: config/staging.env");
        }
    }

    @Test
    void encryptedConfigCountsAndItsClearTextKeysAreChecked() {
        try (FixtureRepo repo = FixtureRepo.released()) {
            repo.delete(STAGING).write(STAGING + ".encrypted", """
                    DATABASE_URL=ENC[AES256_GCM,data:Zm9v,iv:YmFy,tag:YmF6,type:str]
                    REDIS_URL=ENC[AES256_GCM,data:Zm9v,iv:YmFy,tag:YmF6,type:str]
                    API_BASE_URL=ENC[AES256_GCM,data:Zm9v,iv:YmFy,tag:YmF6,type:str]
                    """).release("v1.1.0");
            Report report = repo.validate();
            assertPassed(report, Rule.ENV_CONFIG_FILE);
            assertFailed(report, Rule.ENV_REQUIRED_VARIABLE, "Missing required environment variable: JWT_SECRET");
            assertPassed(report, Rule.ENV_NO_COMMITTED_SECRETS);
        }
    }

    @Test
    void missingRequiredVariableFails() {
        try (FixtureRepo repo = FixtureRepo.released()) {
            String text = repo.read(STAGING);
            repo.write(STAGING, text.replaceAll("(?m)^JWT_SECRET=.*\n", "")).release("v1.1.0");
            Check c = assertFailed(repo.validate(), Rule.ENV_REQUIRED_VARIABLE, "JWT_SECRET");
            assertEquals(STAGING, c.file());
        }
    }

    @Test
    void literalSecretValueFailsWithoutRevealingIt() {
        try (FixtureRepo repo = FixtureRepo.released()) {
            repo.edit(STAGING, "JWT_SECRET=vault:secret/data/acme-shop/staging#jwt_secret", "JWT_SECRET=s3cr3t-Value-42").release("v1.1.0");
            Report report = repo.validate();
            assertFailed(report, Rule.ENV_NO_COMMITTED_SECRETS, "JWT_SECRET holds a literal secret value");
            assertFalse(dump(report).contains("s3cr3t-Value-42"), "the secret leaked into the report");
        }
    }

    @Test
    void passwordInAUrlFails() {
        try (FixtureRepo repo = FixtureRepo.released()) {
            repo.edit(STAGING, "DATABASE_URL=vault:secret/data/acme-shop/staging#database_url",
                    "DATABASE_URL=postgresql://shop:hunter2@db.internal:5432/shop").release("v1.1.0");
            Report report = repo.validate();
            assertFailed(report, Rule.ENV_NO_COMMITTED_SECRETS, "DATABASE_URL embeds a password in a URL");
            assertFalse(dump(report).contains("hunter2"));
        }
    }

    @Test
    void committedEnvLocalAndPrivateKeysFail() {
        try (FixtureRepo repo = FixtureRepo.released()) {
            repo.write(".gitignore", "node_modules/\n")
                    .write("apps/web/.env.local", "NEXT_PUBLIC_FLAG=1\n")
                    .write("deploy/keys/server.pem", "-----BEGIN RSA PRIVATE KEY-----\nMIIBOgIBAAJBAK\n-----END RSA PRIVATE KEY-----\n")
                    .release("v1.1.0");
            Report report = repo.validate();
            assertFailed(report, Rule.ENV_NO_COMMITTED_SECRETS, "apps/web/.env.local is committed");
            assertFailed(report, Rule.ENV_NO_COMMITTED_SECRETS, "deploy/keys/server.pem holds a private key");
        }
    }
}
