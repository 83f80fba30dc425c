package dev.runway.validator.rules;

import java.nio.charset.CharacterCodingException;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

import dev.runway.validator.source.FileTooLargeException;

/** Phase 3: the environment's config exists, defines every required variable, and no secret is committed. */
final class EnvironmentRules implements Validator.PhaseRules {

    @Override
    public void apply(ValidationContext ctx) {
        String plain = "config/" + ctx.environmentName() + ".env";
        String encrypted = plain + ".encrypted";
        String config = null;
        if (ctx.source.isFile(plain)) {
            config = plain;
        } else if (ctx.source.isFile(encrypted)) {
            config = encrypted;
        }
        if (config != null) {
            ctx.pass(Rule.ENV_CONFIG_FILE, config, "Environment config exists for: " + ctx.environmentName());
        } else {
            ctx.fail(Rule.ENV_CONFIG_FILE, plain, "Missing environment config: " + plain,
                    "commit " + plain + " with non-secret values and secret references (vault:...), or " + encrypted);
        }
        requiredVariables(ctx, config);
        secrets(ctx);
    }

    private static void requiredVariables(ValidationContext ctx, String config) {
        if (ctx.manifest == null) {
            ctx.skip(Rule.ENV_REQUIRED_VARIABLE, null, "Not checked: manifest unreadable");
            return;
        }
        List<String> required = new ArrayList<>();
        for (JsonNode n : ctx.manifest.path("environment").path("required")) {
            if (n.isTextual() && !n.asText().isBlank()) {
                required.add(n.asText());
            }
        }
        if (required.isEmpty()) {
            ctx.pass(Rule.ENV_REQUIRED_VARIABLE, ctx.manifestFile, "No required environment variables declared");
            return;
        }
        if (config == null) {
            ctx.skip(Rule.ENV_REQUIRED_VARIABLE, null, "Not checked: no environment config");
            return;
        }
        EnvFile env;
        try {
            // A SOPS-encrypted dotenv keeps its keys in clear text, so it is read the same way.
            env = EnvFile.parse(ctx.text(config, SecretScan.MAX_ENV_BYTES).orElse(""));
        } catch (FileTooLargeException e) {
            ctx.fail(Rule.ENV_REQUIRED_VARIABLE, config, config + " is too large to read (" + e.size() + " bytes)", null);
            return;
        } catch (CharacterCodingException e) {
            ctx.fail(Rule.ENV_REQUIRED_VARIABLE, config, config + " is not UTF-8 text", null);
            return;
        }
        for (String var : required) {
            if (env.defines(var)) {
                ctx.pass(Rule.ENV_REQUIRED_VARIABLE, config, "Environment variable defined: " + var);
            } else {
                ctx.fail(Rule.ENV_REQUIRED_VARIABLE, config, "Missing required environment variable: " + var,
                        "add " + var + "= to " + config + " (a value, or a secret reference such as vault:...)");
            }
        }
    }

    private static void secrets(ValidationContext ctx) {
        int[] envFiles = { 0 };
        List<SecretScan.Finding> findings = SecretScan.scan(ctx.source, envFiles);
        if (findings.isEmpty()) {
            ctx.pass(Rule.ENV_NO_COMMITTED_SECRETS, null, "No plaintext secrets committed (" + envFiles[0] + " env files checked)");
        }
        for (SecretScan.Finding f : findings) {
            ctx.fail(Rule.ENV_NO_COMMITTED_SECRETS, f.file(), "Secret committed: " + f.message(),
                    "move the value to Vault or AWS Secrets Manager and reference it (vault:...), then rotate it (sop.md 000-5.3)");
        }
    }

    @Override
    public Rule backstop() {
        return Rule.ENV_CONFIG_FILE;
    }
}
