package dev.runway.orchestrator.api;

import java.util.List;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import com.fasterxml.jackson.databind.JsonNode;

/** Body of {@code POST /deployments}. */
@Schema(description = "A deployment of one project version to one environment")
public record DeploymentRequest(
        @Schema(description = "The project; with a manifest it must equal project.name. Its safe name (lower case, "
                + "[a-z0-9-], '_' and '.' become '-') must not be another project's.")
        @NotBlank @Pattern(regexp = "^[a-z0-9]([a-z0-9._-]{0,61}[a-z0-9])?$",
                message = "must be lower-case letters, digits, '-', '_' or '.', starting and ending with a letter or digit")
        String project,
        @NotBlank @Size(max = 128) @Pattern(regexp = VERSION, message = "must be a semantic version such as 1.4.2 or v1.4.2-rc.1")
        String version,
        @NotBlank @Pattern(regexp = "^(development|staging|uat|production)$", message = "must be one of development, staging, uat, production")
        String environment,
        @Schema(description = "\"all\" (default) or component names, like the seed's -c")
        @Size(max = 50) List<@NotBlank @Size(max = 63) @Pattern(regexp = InputRules.COMPONENT,
                message = "must be \"all\" or a component name (lower-case letters, digits and '-')") String> components,
        @Schema(description = "blue-green, canary or rolling; overrides the manifest")
        @Pattern(regexp = "^(blue-green|canary|rolling)$", message = "must be blue-green, canary or rolling")
        String strategy,
        Boolean dryRun,
        @Schema(description = "The deploy manifest: YAML or JSON text, or a JSON object")
        JsonNode manifest,
        @Valid RepositoryReference repository,
        @Size(max = 2000) @Pattern(regexp = InputRules.TEXT, message = InputRules.CONTROL_MESSAGE) String ciEvidence,
        @Size(max = 200_000) @Pattern(regexp = InputRules.TEXT, message = InputRules.CONTROL_MESSAGE) String scanReport) {

    public static final String VERSION = "^v?(0|[1-9]\\d*)\\.(0|[1-9]\\d*)\\.(0|[1-9]\\d*)(-[0-9A-Za-z.-]+)?(\\+[0-9A-Za-z.-]+)?$";

    /**
     * A git repository at an exact commit (the validator and executor read it). A URL with credentials in it
     * is refused ({@link RepositoryUrls}): they would travel on the public topic and in notifications. A private
     * repository names a credential reference instead, which only the validator and the executor resolve.
     */
    public record RepositoryReference(
            @Schema(description = "git URL or local path, without credentials (no user:password@ or token@, no token in "
                    + "the query): such a URL is refused with 400")
            @NotBlank @Size(max = 2000) @Pattern(regexp = InputRules.REPOSITORY_URL,
                    message = "must be a URL or path without spaces or control characters, not starting with '-'") String url,
            @NotBlank @Pattern(regexp = "^[0-9a-f]{7,40}$", message = "must be a git commit id (7-40 hex digits)") String commit,
            @Size(max = 255) @Pattern(regexp = InputRules.GIT_REF,
                    message = "must be a git branch or tag name (no spaces, '..', control characters or leading '-')") String ref,
            @Schema(description = "Name of an operator-configured repository credential (e.g. acme-github) that the validator "
                    + "and the executor resolve from their own configuration; never the credential itself")
            @Size(max = 63) @Pattern(regexp = CREDENTIAL_NAME,
                    message = "must be a credential name: lower-case letters, digits and '-', starting and ending with a letter or digit")
            String credential) {

        /** A credential reference: a name, never a value (an environment variable name is derived from it). */
        public static final String CREDENTIAL_NAME = "^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$";
    }

    public boolean isDryRun() {
        return Boolean.TRUE.equals(dryRun);
    }
}
