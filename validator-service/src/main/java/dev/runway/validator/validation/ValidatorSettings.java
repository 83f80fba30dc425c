package dev.runway.validator.validation;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;

/** Settings of the validation service. */
@ConfigMapping(prefix = "runway.validator")
public interface ValidatorSettings {

    /** Bounds of a clone of a remote repository (https, ssh); max-bytes also bounds a local one read in place. */
    @WithName("clone")
    CloneSettings cloneSettings();

    /** Which repositories may be read at all. */
    Repositories repositories();

    /** Most checks sent in one report; failures and warnings are kept first. Keeps records well under Kafka's 1 MB. */
    @WithDefault("400")
    int maxReportedChecks();

    interface CloneSettings {
        /** Longest a clone may take. */
        @WithDefault("60s")
        Duration timeout();

        /** A clone that grows past this many bytes (256 MiB) is stopped and the validation fails with the reason. */
        @WithDefault("268435456")
        long maxBytes();

        /**
         * Where bare clones of remote repositories are kept between requests, one per URL and credential reference,
         * fetched only when a request's commit is not there yet. One validator process per directory.
         */
        @WithDefault("${java.io.tmpdir}/runway-validator-clones")
        Path cacheDir();

        /** All cached clones together (2 GiB); past it, the clones used longest ago are deleted after a fetch. */
        @WithDefault("2147483648")
        long cacheMaxBytes();
    }

    interface Repositories {
        /** URL schemes a repository may use: https, ssh (also user@host:path), http, git, file (local paths and file://). */
        @WithDefault("https,ssh,file")
        Set<String> allowSchemes();

        /** Hosts remote repositories may be cloned from: host, host:port or *.domain. Unset = no remote repository. */
        Optional<List<String>> allowHosts();

        /** Directories local repositories (paths, file:// URLs) must lie under, links resolved. Unset = no local repository. */
        Optional<List<Path>> allowFileRoots();
    }
}
