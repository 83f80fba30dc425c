package dev.runway.validator.rules;

import java.util.List;

/** Phase 1: the six files every project must have (sop.md 000-4.2). */
final class StructureRules implements Validator.PhaseRules {

    static final List<String> REQUIRED_FILES = List.of(
            "deploy.manifest.yaml",
            "DEPLOYMENT.md",
            "docker-compose.yml",
            ".github/workflows/ci.yml",
            "scripts/deploy.sh",
            "scripts/rollback.sh");

    @Override
    public void apply(ValidationContext ctx) {
        for (String file : REQUIRED_FILES) {
            if (ctx.source.isFile(file)) {
                ctx.pass(Rule.REQUIRED_FILE, file, "Found: " + file);
            } else {
                ctx.fail(Rule.REQUIRED_FILE, file, "Missing required file: " + file, "add " + file + " (sop.md 000-4.2)");
            }
        }
    }

    @Override
    public Rule backstop() {
        return Rule.REQUIRED_FILE;
    }
}
