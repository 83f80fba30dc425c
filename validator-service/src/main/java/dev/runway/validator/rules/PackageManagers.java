package dev.runway.validator.rules;

import java.nio.charset.CharacterCodingException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.runway.validator.source.FileTooLargeException;

/**
 * Which package manager a Node project uses: the {@code packageManager} field of its package.json
 * (or of a parent's, as workspaces declare it at their root), else the lockfile present, else npm
 * (the SOP's). Each manager is satisfied by its own lockfile only: a pnpm project with a stray
 * package-lock.json is not locked.
 */
final class PackageManagers {

    static final int MAX_PACKAGE_JSON = 1024 * 1024;
    static final int MAX_FIELD = 128;
    private static final ObjectMapper JSON = new ObjectMapper();

    enum Name {
        NPM("npm", List.of("package-lock.json", "npm-shrinkwrap.json")),
        PNPM("pnpm", List.of("pnpm-lock.yaml")),
        YARN("yarn", List.of("yarn.lock"));

        private final String command;
        private final List<String> lockfiles;

        Name(String command, List<String> lockfiles) {
            this.command = command;
            this.lockfiles = lockfiles;
        }

        String command() {
            return command;
        }

        List<String> lockfiles() {
            return lockfiles;
        }

        static Optional<Name> parse(String packageManager) {
            String n = packageManager.strip().toLowerCase(Locale.ROOT);
            int at = n.indexOf('@');
            String tool = at < 0 ? n : n.substring(0, at);
            for (Name name : values()) {
                if (name.command.equals(tool)) {
                    return Optional.of(name);
                }
            }
            return Optional.empty();
        }
    }

    /** The manager and how it was found ("packageManager pnpm@9.1.0 in package.json", "pnpm-lock.yaml present", "npm by default"). */
    record Manager(Name name, String reason) {
        String describe() {
            return name.command() + ": " + reason;
        }
    }

    private PackageManagers() {
    }

    static Manager of(ValidationContext ctx, String dir) {
        for (String d : upwards(dir)) {
            Optional<String> declared = packageManagerField(ctx, d + "package.json");
            if (declared.isPresent()) {
                Optional<Name> name = Name.parse(declared.get());
                if (name.isPresent()) {
                    return new Manager(name.get(), "packageManager " + declared.get().strip() + " in " + d + "package.json");
                }
            }
        }
        for (String d : upwards(dir)) {
            for (Name name : Name.values()) {
                for (String lock : name.lockfiles()) {
                    if (ctx.source.isFile(d + lock)) {
                        return new Manager(name, d + lock + " present");
                    }
                }
            }
        }
        return new Manager(Name.NPM, "no packageManager field and no lockfile, npm by default");
    }

    /** The nearest lockfile of {@code name}, beside {@code dir} or in a parent. */
    static Optional<String> lockfile(ValidationContext ctx, String dir, Name name) {
        for (String d : upwards(dir)) {
            for (String lock : name.lockfiles()) {
                if (ctx.source.isFile(d + lock)) {
                    return Optional.of(d + lock);
                }
            }
        }
        return Optional.empty();
    }

    /** {@code dir} ("a/b/"), then its parents up to the root (""). */
    static List<String> upwards(String dir) {
        List<String> dirs = new ArrayList<>();
        String d = dir;
        while (true) {
            dirs.add(d);
            if (d.isEmpty()) {
                return dirs;
            }
            int slash = d.lastIndexOf('/', d.length() - 2);
            d = slash < 0 ? "" : d.substring(0, slash + 1);
        }
    }

    private static Optional<String> packageManagerField(ValidationContext ctx, String path) {
        try {
            Optional<String> text = ctx.text(path, MAX_PACKAGE_JSON);
            if (text.isEmpty()) {
                return Optional.empty();
            }
            JsonNode field = JSON.readTree(text.get()).path("packageManager");
            // A field longer than any real "name@version" is not one, and is not echoed into the report.
            return field.isTextual() && !field.asText().isBlank() && field.asText().length() <= MAX_FIELD
                    && field.asText().chars().noneMatch(Character::isISOControl) ? Optional.of(field.asText()) : Optional.empty();
        } catch (FileTooLargeException | CharacterCodingException | JsonProcessingException e) {
            // An unreadable package.json declares nothing; the lockfile decides.
            return Optional.empty();
        }
    }
}
