package dev.runway.validator.rules;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import dev.runway.events.Environment;
import dev.runway.validator.source.GitFacts;

/** Phase 4: what is deployed is committed, on a branch, on main for production, and tagged as requested. */
final class CodeStateRules implements Validator.PhaseRules {

    @Override
    public void apply(ValidationContext ctx) {
        GitFacts git = ctx.source.git();
        boolean production = ctx.request.environment() == Environment.PRODUCTION;
        if (!git.available()) {
            String why = "Cannot verify code state: " + git.unavailableReason();
            String hint = "deploy from a git repository with at least one commit";
            ctx.fail(Rule.UNCOMMITTED_CHANGES, null, why, hint);
            ctx.fail(Rule.COMMIT_ON_BRANCH, null, why, hint);
            if (production) {
                ctx.fail(Rule.PRODUCTION_FROM_MAIN, null, why, hint);
            } else {
                ctx.skip(Rule.PRODUCTION_FROM_MAIN, null, "Not a production deployment: any branch may deploy");
            }
            if (ctx.request.version() != null) {
                ctx.fail(Rule.VERSION_TAG, null, why, hint);
            } else {
                ctx.skip(Rule.VERSION_TAG, null, "No version requested");
            }
            return;
        }
        String commit = git.commit();
        String shortId = commit.substring(0, 12);

        if (!git.workingTree()) {
            ctx.pass(Rule.UNCOMMITTED_CHANGES, null, "Validating commit " + shortId + " exactly as committed");
        } else {
            List<String> changes = git.uncommittedChanges();
            if (changes.isEmpty()) {
                ctx.pass(Rule.UNCOMMITTED_CHANGES, null, "No uncommitted changes");
            } else {
                ctx.fail(Rule.UNCOMMITTED_CHANGES, changes.get(0), "Uncommitted changes detected (" + changes.size() + "): "
                        + String.join(", ", changes.subList(0, Math.min(5, changes.size()))) + (changes.size() > 5 ? ", ..." : ""),
                        "commit or stash before deploying");
            }
        }

        List<String> branches = git.branchesContaining();
        if (branches.isEmpty()) {
            ctx.fail(Rule.COMMIT_ON_BRANCH, null, "Commit " + shortId + " is on no branch",
                    "deploy only commits that were pushed and merged to a branch");
        } else {
            ctx.pass(Rule.COMMIT_ON_BRANCH, null, "Commit " + shortId + " is on: " + shown(branches));
        }

        if (production) {
            boolean onMain = branches.stream().anyMatch(b -> b.equals("main") || b.endsWith("/main"));
            if (onMain) {
                ctx.pass(Rule.PRODUCTION_FROM_MAIN, null, "Production deployment of a commit on main");
            } else {
                ctx.fail(Rule.PRODUCTION_FROM_MAIN, null, "Production deployments must be from 'main' (commit is on: "
                        + (branches.isEmpty() ? "no branch" : shown(branches)) + ")", "merge to main, then deploy");
            }
        } else {
            ctx.skip(Rule.PRODUCTION_FROM_MAIN, null, "Not a production deployment: any branch may deploy");
        }

        versionTag(ctx, git, commit);
    }

    private static void versionTag(ValidationContext ctx, GitFacts git, String commit) {
        String version = ctx.request.version();
        if (version == null) {
            ctx.skip(Rule.VERSION_TAG, null, "No version requested");
            return;
        }
        if (version.isBlank()) {
            ctx.fail(Rule.VERSION_TAG, null, "The request names no version", "request a version that is tagged on the commit");
            return;
        }
        List<String> candidates = new ArrayList<>();
        candidates.add(version);
        candidates.add(version.startsWith("v") ? version.substring(1) : "v" + version);
        for (String tag : candidates) {
            Optional<String> target = git.tagTarget(tag);
            if (target.isPresent()) {
                if (target.get().equals(commit)) {
                    ctx.pass(Rule.VERSION_TAG, null, "Tag " + tag + " points at commit " + commit.substring(0, 12));
                } else {
                    ctx.fail(Rule.VERSION_TAG, null, "Tag " + tag + " points at " + target.get().substring(0, 12)
                            + ", not at the commit being deployed (" + commit.substring(0, 12) + ")",
                            "deploy the tagged commit, or release a new version");
                }
                return;
            }
        }
        ctx.fail(Rule.VERSION_TAG, null, "No tag " + String.join(" or ", candidates) + " for the requested version",
                "tag the commit: git tag " + candidates.get(candidates.get(0).startsWith("v") ? 0 : 1) + " " + commit.substring(0, 12));
    }

    private static String shown(List<String> branches) {
        return String.join(", ", branches.subList(0, Math.min(5, branches.size()))) + (branches.size() > 5 ? ", ..." : "");
    }

    @Override
    public Rule backstop() {
        return Rule.COMMIT_ON_BRANCH;
    }
}
