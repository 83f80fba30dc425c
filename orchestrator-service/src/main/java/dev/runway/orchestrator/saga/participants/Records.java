package dev.runway.orchestrator.saga.participants;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.Encoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;

import dev.runway.events.MigrationSet;
import dev.runway.events.RepositoryRef;
import dev.runway.orchestrator.deployment.Deployment;
import dev.runway.orchestrator.deployment.DeploymentPlan;

/** Parts several commands share. */
final class Records {

    private Records() {
    }

    /** The deployment's repository at its exact commit, or null when it was requested with a manifest only. */
    static RepositoryRef repository(Deployment d) {
        return d.repositoryUrl == null ? null
                : RepositoryRef.newBuilder().setUrl(d.repositoryUrl).setCommit(d.repositoryCommit).setRef(d.repositoryRef)
                        .setCredential(d.repositoryCredential).build();
    }

    /** The validated migration set as stored in {@code deployment.validated_migrations} (Avro's JSON form). */
    static String json(MigrationSet set) {
        if (set == null) {
            return null;
        }
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            Encoder encoder = EncoderFactory.get().jsonEncoder(MigrationSet.getClassSchema(), out);
            new SpecificDatumWriter<>(MigrationSet.class).write(set, encoder);
            encoder.flush();
            return out.toString(StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@link #json(MigrationSet)} read back; null stays null. */
    static MigrationSet migrationSet(String json) {
        if (json == null || json.isBlank()) {
            return null;
        }
        try {
            return new SpecificDatumReader<>(MigrationSet.class).read(null,
                    DecoderFactory.get().jsonDecoder(MigrationSet.getClassSchema(), json));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static List<String> componentNames(DeploymentPlan plan) {
        return plan.components().stream().map(DeploymentPlan.ComponentPlan::name).toList();
    }
}
