package dev.runway.validator.rules;

import static dev.runway.validator.fixtures.Reports.assertFailed;
import static dev.runway.validator.fixtures.Reports.assertWarned;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

import dev.runway.events.ValidationOutcome;
import dev.runway.validator.fixtures.FixtureRepo;
import dev.runway.validator.fixtures.Reports;

/** Phase 8: Dockerfiles for enabled server components, pinned base images. */
class ContainerRulesTest {

    @Test
    void enabledComponentWithoutDockerfileFails() {
        try (FixtureRepo repo = FixtureRepo.released()) {
            repo.delete("services/api/Dockerfile").release("v1.1.0");
            assertFailed(repo.validate(), Rule.DOCKERFILE, "No Dockerfile for enabled component api");
        }
    }

    @Test
    void disabledComponentNeedsNoDockerfile() {
        try (FixtureRepo repo = FixtureRepo.released()) {
            repo.delete("services/api/Dockerfile")
                    .edit("deploy.manifest.yaml", "  api:\n    enabled: true", "  api:\n    enabled: false").release("v1.1.0");
            Reports.assertPassed(repo.validate(), Rule.DOCKERFILE);
        }
    }

    @Test
    void unpinnedBaseImageWarnsAndMissingFromFails() {
        try (FixtureRepo repo = FixtureRepo.released()) {
            repo.edit("apps/web/Dockerfile", "FROM node:20.11-alpine", "FROM node:latest").release("v1.1.0");
            var report = repo.validate();
            assertWarned(report, Rule.BASE_IMAGE, "Base image not pinned in apps/web/Dockerfile: node:latest");
            assertEquals(ValidationOutcome.PASSED_WITH_WARNINGS, report.outcome());
            repo.write("services/api/Dockerfile", "RUN echo no base\n").release("v1.2.0");
            assertFailed(repo.validate(), Rule.BASE_IMAGE, "Dockerfile has no FROM instruction: services/api/Dockerfile");
        }
    }

    @Test
    void multiStageBuildsReferToEarlierStages() {
        try (FixtureRepo repo = FixtureRepo.released()) {
            repo.write("apps/web/Dockerfile", """
                    FROM --platform=linux/amd64 node:20.11-alpine AS build
                    RUN npm run build
                    FROM build
                    CMD ["node", "src/server.js"]
                    """).release("v1.1.0");
            Reports.assertPassed(repo.validate(), Rule.BASE_IMAGE);
        }
    }
}
