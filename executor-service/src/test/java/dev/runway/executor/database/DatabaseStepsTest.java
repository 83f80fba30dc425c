package dev.runway.executor.database;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.UUID;

import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.runway.events.ApplyMigrations;
import dev.runway.events.BackupDatabase;
import dev.runway.events.DatabaseBackedUp;
import dev.runway.events.DatabaseRestored;
import dev.runway.events.Environment;
import dev.runway.events.EventHeader;
import dev.runway.events.MigrationApplied;
import dev.runway.events.MigrationSet;
import dev.runway.events.MigrationSets;
import dev.runway.events.RepositoryRef;
import dev.runway.events.RestoreDatabase;
import dev.runway.events.StepFailed;
import dev.runway.events.StepProgress;
import dev.runway.events.Topics;
import dev.runway.executor.repository.Checkouts;
import dev.runway.executor.support.ClientDatabases;
import dev.runway.executor.support.CommandBus;
import dev.runway.executor.support.ExecutorSettings;
import dev.runway.executor.support.ExecutorTestResource;
import dev.runway.executor.support.FencingTokens;
import dev.runway.executor.support.Repos;
import dev.runway.testsupport.Backbone;
import dev.runway.testsupport.GitHttpServer;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

/** sop.md 000-8 against the real Postgres: verified backup, ordered migrations, failure in a transaction, both compensations. */
@QuarkusTest
@QuarkusTestResource(ExecutorTestResource.class)
class DatabaseStepsTest {

    static final Duration WAIT = Duration.ofSeconds(60);
    static final Path PROJECTS = Path.of("src/test/resources/client-project").toAbsolutePath();

    String project;
    String deploymentId;
    CommandBus bus;

    @BeforeEach
    void setUp() throws Exception {
        project = ClientDatabases.newProject();
        deploymentId = UUID.randomUUID().toString();
        ClientDatabases.create(project);
        bus = new CommandBus();
    }

    @AfterEach
    void tearDown() throws Exception {
        ClientDatabases.drop(project);
        if (bus != null) {
            bus.close();
        }
    }

    EventHeader header() {
        return CommandBus.header(deploymentId, Environment.STAGING, project);
    }

    SpecificRecord backup() {
        return bus.call(BackupDatabase.newBuilder().setHeader(header()).setStep("backup-database").setFencingToken(FencingTokens.next()).build(), WAIT);
    }

    SpecificRecord migrate(String dir, boolean dryRun) {
        return bus.call(ApplyMigrations.newBuilder().setHeader(header()).setStep("apply-migrations").setFencingToken(FencingTokens.next())
                .setDryRun(dryRun).setRepository(Repos.of(PROJECTS.resolve(dir))).build(), WAIT);
    }

    SpecificRecord migrate(RepositoryRef repository, String migrationsPath, boolean dryRun) {
        return migrate(repository, migrationsPath, dryRun, null);
    }

    SpecificRecord migrate(RepositoryRef repository, String migrationsPath, boolean dryRun, MigrationSet validated) {
        return bus.call(ApplyMigrations.newBuilder().setHeader(header()).setStep("apply-migrations").setFencingToken(FencingTokens.next())
                .setDryRun(dryRun).setRepository(repository).setMigrationsPath(migrationsPath)
                .setValidatedMigrations(validated).build(), WAIT);
    }

    /** The set a validator records for the *.sql files of {@code dir} (as MigrationSets defines it). */
    static MigrationSet validatedSet(String path, Path dir) throws IOException {
        Map<String, byte[]> files = new TreeMap<>();
        try (var list = Files.list(dir)) {
            for (Path f : list.filter(f -> f.getFileName().toString().endsWith(".sql")).toList()) {
                files.put(f.getFileName().toString(), Files.readAllBytes(f));
            }
        }
        return MigrationSets.of(path, files);
    }

    Path checkout() {
        return ExecutorTestResource.STATE.resolve("checkouts").resolve(project).resolve("staging").resolve(deploymentId);
    }

    SpecificRecord restore(boolean preferDown) {
        return bus.call(RestoreDatabase.newBuilder().setHeader(header()).setStep("restore-database").setFencingToken(FencingTokens.next())
                .setPreferDownMigrations(preferDown).build(), WAIT);
    }

    @Test
    void shouldTakeAVerifiedCustomFormatBackupAndPruneOldOnes() throws Exception {
        ClientDatabases.execute(project, "CREATE TABLE things (name TEXT); INSERT INTO things VALUES ('kept')");
        Path dir = ExecutorTestResource.STATE.resolve("backups").resolve("staging");
        Files.createDirectories(dir);
        Path old = dir.resolve("backup_20000101_000000_" + project + ".dump");
        Files.writeString(old, "old");
        Files.setLastModifiedTime(old, FileTime.from(Instant.now().minus(Duration.ofDays(40))));

        DatabaseBackedUp done = assertInstanceOf(DatabaseBackedUp.class, backup());

        assertTrue(done.getVerified());
        Path file = Path.of(done.getLocation());
        assertTrue(Files.size(file) > 0);
        assertEquals(Files.size(file), done.getSizeBytes());
        assertEquals("PGDMP", new String(Files.readAllBytes(file), 0, 5), "custom-format archive");
        Process list = new ProcessBuilder("pg_restore", "--list", file.toString()).redirectErrorStream(true).start();
        String toc = new String(list.getInputStream().readAllBytes());
        assertEquals(0, list.waitFor());
        assertTrue(toc.contains("TABLE public things"), toc);
        assertFalse(Files.exists(old), "backups older than the retention are deleted");
        Files.deleteIfExists(file);
    }

    @Test
    void shouldApplyMigrationsInOrderEachRecordedThenUndoThemWithTheirDownSections() throws Exception {
        MigrationApplied applied = assertInstanceOf(MigrationApplied.class, migrate("ok", false));

        assertEquals(List.of("20260115143022_create_users", "20260115150000_add_user_preferences_table"), applied.getApplied());
        assertEquals("20260115150000", applied.getSchemaVersion());
        assertEquals(List.of("20260115143022:create users:true", "20260115150000:add user preferences table:true"),
                ClientDatabases.query(project, "SELECT version || ':' || description || ':' || success FROM flyway_schema_history ORDER BY installed_rank"));
        assertTrue(ClientDatabases.tableExists(project, "user_preferences"));

        MigrationApplied again = assertInstanceOf(MigrationApplied.class, migrate("ok", false));
        assertEquals(List.of(), again.getApplied(), "a second run finds nothing pending");

        DatabaseRestored restored = assertInstanceOf(DatabaseRestored.class, restore(true));
        assertEquals("DOWN_MIGRATIONS", restored.getMethod());
        assertFalse(ClientDatabases.tableExists(project, "user_preferences"));
        assertFalse(ClientDatabases.tableExists(project, "users"));
        assertEquals(List.of(), ClientDatabases.query(project, "SELECT version FROM flyway_schema_history"));
    }

    @Test
    void shouldRollBackAFailingMigrationInItsTransactionAndReportIt() throws Exception {
        StepFailed failed = assertInstanceOf(StepFailed.class, migrate("failing", false));

        assertEquals("MIGRATION_FAILED", failed.getCode());
        assertFalse(failed.getRetryable(), "a failed migration needs a person (sop.md 000-10.2)");
        assertTrue(failed.getReason().contains("20260116090000_broken_half_done.sql"), failed.getReason());
        assertTrue(failed.getReason().contains("table_that_does_not_exist"), failed.getReason());
        assertTrue(ClientDatabases.tableExists(project, "users"), "the migration before it stays applied");
        assertFalse(ClientDatabases.tableExists(project, "half_done"), "the failing migration's own changes are rolled back");
        assertEquals(List.of("20260115143022"), ClientDatabases.query(project, "SELECT version FROM flyway_schema_history ORDER BY installed_rank"));
    }

    @Test
    void shouldRestoreTheDeploymentsBackupWhenAMigrationHasNoDownSection() throws Exception {
        ClientDatabases.execute(project, "CREATE TABLE accounts (name TEXT); INSERT INTO accounts VALUES ('ada'), ('grace')");
        DatabaseBackedUp backup = assertInstanceOf(DatabaseBackedUp.class, backup());
        assertInstanceOf(MigrationApplied.class, migrate("nodown", false));
        assertEquals(List.of(), ClientDatabases.query(project, "SELECT name FROM accounts"));

        DatabaseRestored restored = assertInstanceOf(DatabaseRestored.class, restore(true));

        assertEquals("BACKUP_RESTORE", restored.getMethod());
        assertEquals(backup.getBackupId(), restored.getBackupId());
        assertEquals(List.of("ada", "grace"), ClientDatabases.query(project, "SELECT name FROM accounts ORDER BY name"));
        assertFalse(ClientDatabases.tableExists(project, "orders"));
        assertFalse(ClientDatabases.tableExists(project, "flyway_schema_history"), "the database is as it was before the deployment");
        Files.deleteIfExists(Path.of(backup.getLocation()));
    }

    @Test
    void shouldOnlyPlanInADryRun() throws Exception {
        ApplyMigrations command = ApplyMigrations.newBuilder().setHeader(header()).setStep("apply-migrations").setFencingToken(FencingTokens.next())
                .setDryRun(true).setRepository(Repos.of(PROJECTS.resolve("ok"))).build();
        MigrationApplied planned = assertInstanceOf(MigrationApplied.class, bus.call(command, WAIT));

        assertEquals(List.of("20260115143022_create_users", "20260115150000_add_user_preferences_table"), planned.getApplied());
        List<String> plan = bus.progress(command.getHeader().getEventId()).stream().map(StepProgress::getMessage).toList();
        assertEquals(2, plan.size(), plan.toString());
        assertTrue(plan.get(0).contains("20260115143022_create_users.sql"), plan.toString());
        assertTrue(plan.get(1).contains("20260115150000_add_user_preferences_table.sql"), plan.toString());
        assertFalse(ClientDatabases.tableExists(project, "users"));
        assertFalse(ClientDatabases.tableExists(project, "flyway_schema_history"), "a dry run changes nothing");
    }

    @Test
    void shouldMigrateEachProjectEnvironmentInItsOwnDatabase() throws Exception {
        String other = ClientDatabases.newProject();
        ClientDatabases.create(other);
        try {
            assertInstanceOf(MigrationApplied.class, migrate("ok", false));
            assertTrue(ClientDatabases.tableExists(project, "users"));
            assertFalse(ClientDatabases.tableExists(other, "users"), "another project's database is never touched");

            ClientDatabases.execute(other, "CREATE TABLE accounts (name TEXT)");
            MigrationApplied theirs = assertInstanceOf(MigrationApplied.class, bus.call(ApplyMigrations.newBuilder()
                    .setHeader(CommandBus.header(UUID.randomUUID().toString(), Environment.STAGING, other)).setStep("apply-migrations")
                    .setFencingToken(FencingTokens.next()).setRepository(Repos.of(PROJECTS.resolve("nodown"))).build(), WAIT));
            assertEquals(List.of("20260117100000_close_accounts_without_down"), theirs.getApplied());
            assertTrue(ClientDatabases.tableExists(other, "orders"));
            assertFalse(ClientDatabases.tableExists(project, "orders"), "the other project's migration went to its own database only");
            assertFalse(ClientDatabases.tableExists(other, "users"));
            assertEquals(2, ClientDatabases.query(project, "SELECT version FROM flyway_schema_history WHERE version <> '0'").size(),
                    "this project's history holds only its own migrations");
        } finally {
            ClientDatabases.drop(other);
        }
    }

    @Test
    void shouldRefuseAProjectWithoutCredentialsNamingWhatIsExpected() throws Exception {
        ClientDatabases.removeCredentials(project, Environment.STAGING);
        StepFailed none = assertInstanceOf(StepFailed.class, migrate("ok", false));
        assertEquals("NO_DATABASE", none.getCode());
        String variable = "RUNWAY_DB_" + project.toUpperCase().replace('-', '_') + "_STAGING_URL";
        assertTrue(none.getReason().contains(variable), none.getReason());
        assertTrue(none.getReason().contains(project + "-staging/url"), none.getReason());
        assertFalse(ClientDatabases.tableExists(project, "users"));
    }

    @Test
    void shouldNeverConnectAProjectToRunwaysOwnDatabase() throws Exception {
        ClientDatabases.writeCredentials(project, Environment.STAGING, ExecutorTestResource.DATABASE);
        StepFailed refused = assertInstanceOf(StepFailed.class, backup());
        assertEquals("RUNWAY_DATABASE", refused.getCode());
        assertTrue(refused.getReason().contains(ExecutorTestResource.DATABASE), refused.getReason());
    }

    @Test
    void shouldRefuseAMigrationsPathOutsideTheRepositoryBeforeDoingAnything() throws Exception {
        // SQL outside any repository, never validated: what an escaping path would run.
        Path outside = Files.createDirectories(Path.of("target", "outside-migrations", UUID.randomUUID().toString()).toAbsolutePath());
        Files.writeString(outside.resolve("20260101000000_escaped.sql"), "CREATE TABLE escaped (id int);\n");
        RepositoryRef ok = Repos.of(PROJECTS.resolve("ok"));

        for (String path : List.of("../x", "/tmp/x", outside.toString(), "database/../../x", "")) {
            StepFailed refused = assertInstanceOf(StepFailed.class, migrate(ok, path, false), path);
            assertEquals("BAD_MIGRATIONS_PATH", refused.getCode(), path);
            assertFalse(refused.getRetryable());
            assertTrue(refused.getReason().startsWith("database.migrations.path refused: "), refused.getReason());
        }
        assertFalse(Files.exists(checkout()), "refused before anything was cloned");

        // A directory symlink in the commit that leaves the repository, absolute or by '..'.
        Repos.Repo absolute = Repos.create().write("README", "x\n");
        Files.createDirectories(absolute.dir().resolve("database"));
        Files.createSymbolicLink(absolute.dir().resolve("database/migrations"), outside);
        StepFailed viaAbsolute = assertInstanceOf(StepFailed.class, migrate(absolute.commit("escape"), "database/migrations", false));
        assertEquals("BAD_MIGRATIONS_PATH", viaAbsolute.getCode());
        assertTrue(viaAbsolute.getReason().contains("database/migrations is a symlink to " + outside), viaAbsolute.getReason());

        deploymentId = UUID.randomUUID().toString();
        Repos.Repo relative = Repos.create().write("README", "x\n");
        Files.createDirectories(relative.dir().resolve("database"));
        Files.createSymbolicLink(relative.dir().resolve("database/migrations"), Path.of("../../../../../../../../../../..").resolve(outside.toString().substring(1)));
        StepFailed viaDots = assertInstanceOf(StepFailed.class, migrate(relative.commit("escape"), "database/migrations", false));
        assertEquals("BAD_MIGRATIONS_PATH", viaDots.getCode());
        assertTrue(viaDots.getReason().contains("outside the repository"), viaDots.getReason());

        // One migration file that is a symlink out of the repository refuses the whole command.
        deploymentId = UUID.randomUUID().toString();
        Repos.Repo file = Repos.create().write("database/migrations/20260115143022_create_users.sql", "CREATE TABLE users (id int);\n");
        Files.createSymbolicLink(file.dir().resolve("database/migrations/20260101000000_escaped.sql"), outside.resolve("20260101000000_escaped.sql"));
        StepFailed viaFile = assertInstanceOf(StepFailed.class, migrate(file.commit("escape"), "database/migrations", false));
        assertEquals("BAD_MIGRATIONS_PATH", viaFile.getCode());

        assertFalse(ClientDatabases.tableExists(project, "escaped"));
        assertFalse(ClientDatabases.tableExists(project, "users"), "nothing of a refused command ran");
        assertFalse(ClientDatabases.tableExists(project, "flyway_schema_history"));
    }

    @Test
    void shouldRunNothingWhenTheMigrationsDifferFromTheValidatedSetAndNameTheFile() throws Exception {
        Path ok = PROJECTS.resolve("ok/database/migrations");
        MigrationSet validated = validatedSet("database/migrations", ok);
        Repos.Repo repo = Repos.create();
        try (var list = Files.list(ok)) {
            for (Path f : list.toList()) {
                repo.write("database/migrations/" + f.getFileName(), Files.readString(f));
            }
        }
        RepositoryRef validatedCommit = repo.commit("release 1.4.2, as validated");
        // After validation a file of the working tree is changed and committed, and that commit is what the command names.
        repo.write("database/migrations/20260115150000_add_user_preferences_table.sql", "CREATE TABLE changed_after (id int);\n");
        RepositoryRef changed = repo.commit("changed after validation");

        StepFailed mismatch = assertInstanceOf(StepFailed.class, migrate(changed, "database/migrations", false, validated));
        assertEquals(ValidatedMigrations.CHECKSUM_MISMATCH, mismatch.getCode());
        assertFalse(mismatch.getRetryable());
        assertTrue(mismatch.getReason().startsWith("database/migrations/20260115150000_add_user_preferences_table.sql changed after "
                + "validation"), mismatch.getReason());
        assertTrue(mismatch.getReason().contains("nothing was applied"), mismatch.getReason());
        assertFalse(ClientDatabases.tableExists(project, "users"), "not even the unchanged first file ran");
        assertFalse(ClientDatabases.tableExists(project, "changed_after"));
        assertFalse(ClientDatabases.tableExists(project, "flyway_schema_history"));

        // A file the validator never saw: a symlink inside the repository (the validator reads regular files only).
        deploymentId = UUID.randomUUID().toString();
        Repos.Repo linked = Repos.create().write("shared/20260201000000_from_elsewhere.sql", "CREATE TABLE from_elsewhere (id int);\n");
        try (var list = Files.list(ok)) {
            for (Path f : list.toList()) {
                linked.write("database/migrations/" + f.getFileName(), Files.readString(f));
            }
        }
        Files.createSymbolicLink(linked.dir().resolve("database/migrations/20260201000000_from_elsewhere.sql"),
                Path.of("../../shared/20260201000000_from_elsewhere.sql"));
        StepFailed unvalidated = assertInstanceOf(StepFailed.class, migrate(linked.commit("symlinked migration"), "database/migrations",
                false, validated));
        assertEquals(ValidatedMigrations.CHECKSUM_MISMATCH, unvalidated.getCode());
        assertTrue(unvalidated.getReason().startsWith("database/migrations/20260201000000_from_elsewhere.sql was not validated"),
                unvalidated.getReason());
        assertFalse(ClientDatabases.tableExists(project, "users"));

        // The commit that was validated runs.
        deploymentId = UUID.randomUUID().toString();
        MigrationApplied applied = assertInstanceOf(MigrationApplied.class, migrate(validatedCommit, "database/migrations", false, validated));
        assertEquals(List.of("20260115143022_create_users", "20260115150000_add_user_preferences_table"), applied.getApplied());
        assertFalse(ClientDatabases.tableExists(project, "changed_after"));
    }

    @Test
    void shouldCheckOutAPrivateRepositoryWithTheReferencedCredentialAndNamePublishOrStoreNothingOfIt() throws Exception {
        String token = "tok-" + UUID.randomUUID().toString().replace("-", "");
        Path credentials = ExecutorSettings.repositoryCredentialsDir(ExecutorTestResource.STATE).resolve("acme-git");
        Files.createDirectories(credentials);
        Files.writeString(credentials.resolve("token"), token + "\n");
        RepositoryRef committed = Repos.of(PROJECTS.resolve("ok"));
        MigrationSet validated = validatedSet("database/migrations", PROJECTS.resolve("ok/database/migrations"));
        try (GitHttpServer server = GitHttpServer.serve(Path.of(committed.getUrl()), token);
                KafkaConsumer<String, byte[]> raw = rawAtEnd(Topics.EXECUTOR_RESULTS)) {
            RepositoryRef unknown = new RepositoryRef(server.url(), committed.getCommit(), "refs/heads/main", "globex-git");
            StepFailed refused = assertInstanceOf(StepFailed.class, migrate(unknown, "database/migrations", false, validated));
            assertEquals(Checkouts.UNKNOWN_CREDENTIAL, refused.getCode());
            assertTrue(refused.getReason().startsWith("repository credential reference 'globex-git' is not configured here"),
                    refused.getReason());
            assertTrue(server.requests().isEmpty(), "nothing was fetched without a credential");

            StepFailed anonymous = assertInstanceOf(StepFailed.class, migrate(new RepositoryRef(server.url(), committed.getCommit(),
                    "refs/heads/main", null), "database/migrations", false, validated));
            assertEquals("CHECKOUT_FAILED", anonymous.getCode());

            RepositoryRef reference = new RepositoryRef(server.url(), committed.getCommit(), "refs/heads/main", "acme-git");
            MigrationApplied applied = assertInstanceOf(MigrationApplied.class, migrate(reference, "database/migrations", false, validated));
            assertEquals(List.of("20260115143022_create_users", "20260115150000_add_user_preferences_table"), applied.getApplied());
            assertTrue(server.requests().stream().anyMatch(r -> r.authorised() && r.path().startsWith("objects/")), server.requests().toString());

            // Published replies (read back raw), the checkout's git config and the recorded facts never hold the token.
            List<ConsumerRecord<String, byte[]>> published = new ArrayList<>();
            Awaitility.await().atMost(WAIT).pollInSameThread().until(() -> {
                raw.poll(Duration.ofMillis(200)).forEach(published::add);
                return published.stream().filter(r -> deploymentId.equals(r.key())).count() >= 3;
            });
            for (ConsumerRecord<String, byte[]> r : published) {
                assertFalse(new String(r.value(), StandardCharsets.ISO_8859_1).contains(token), "the token was published");
            }
            assertFalse(Files.readString(checkout().resolve(".git/config")).contains(token));

            // The compensation's DOWN sections come from a checkout made again with the same reference.
            try (var files = Files.walk(checkout())) {
                for (Path f : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(f);
                }
            }
            assertEquals("DOWN_MIGRATIONS", assertInstanceOf(DatabaseRestored.class, restore(true)).getMethod());
            assertFalse(ClientDatabases.tableExists(project, "users"));
        }
    }

    private static KafkaConsumer<String, byte[]> rawAtEnd(String topic) {
        Properties props = new Properties();
        props.putAll(Backbone.get().kafkaAdmin()); // the stack authenticates every client (SASL/SCRAM)
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "test-" + UUID.randomUUID());
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(props);
        List<TopicPartition> partitions = consumer.partitionsFor(topic).stream().map(p -> new TopicPartition(topic, p.partition())).toList();
        consumer.assign(partitions);
        consumer.seekToEnd(partitions);
        partitions.forEach(consumer::position);
        return consumer;
    }

    @Test
    void shouldRunTheCommittedSqlNotAWorkTreeChangedAfterTheCheckout() throws Exception {
        RepositoryRef ok = Repos.of(PROJECTS.resolve("ok"));
        assertInstanceOf(MigrationApplied.class, migrate(ok, "./database//migrations", true));
        // The dry run made the checkout; its files are changed afterwards (as anything with access to the disk could).
        Path migrations = checkout().resolve("database/migrations");
        try (var files = Files.list(migrations)) {
            for (Path f : files.toList()) {
                Files.writeString(f, "CREATE TABLE tampered (id int);\n-- DOWN MIGRATION\n-- CREATE TABLE tampered_down (id int);\n");
            }
        }
        Files.writeString(migrations.resolve("20260201000000_added_later.sql"), "CREATE TABLE tampered_added (id int);\n");

        // The validated set is the committed one: it matches, and the files changed on disk do not run.
        MigrationSet validated = validatedSet("database/migrations", PROJECTS.resolve("ok/database/migrations"));
        MigrationApplied applied = assertInstanceOf(MigrationApplied.class, migrate(ok, "database/migrations", false, validated));
        assertEquals(List.of("20260115143022_create_users", "20260115150000_add_user_preferences_table"), applied.getApplied());
        assertTrue(ClientDatabases.tableExists(project, "user_preferences"), "the committed SQL ran");
        assertFalse(ClientDatabases.tableExists(project, "tampered"));
        assertFalse(ClientDatabases.tableExists(project, "tampered_added"));

        // The compensation's DOWN sections come from the commit too.
        assertEquals("DOWN_MIGRATIONS", assertInstanceOf(DatabaseRestored.class, restore(true)).getMethod());
        assertFalse(ClientDatabases.tableExists(project, "users"));
        assertFalse(ClientDatabases.tableExists(project, "tampered_down"));
    }
}
