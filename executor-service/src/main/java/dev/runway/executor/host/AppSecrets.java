package dev.runway.executor.host;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Stream;

import dev.runway.executor.commands.ProjectEnv;
import dev.runway.executor.commands.StepFailure;

/**
 * Secrets the operator configured for one project environment's releases (issue 15), the values
 * behind the references a project commits ({@code DATABASE_URL=vault:…} in {@code config/<env>.env}).
 * Like {@code DatabaseCredentials}, per project environment and never shared; a name found in both
 * places takes the environment variable's value:
 * <ol>
 * <li>environment variables of the executor {@code RUNWAY_SECRET_<SAFE_PROJECT>_<ENV>__<NAME>}
 * (safe project upper-cased, '-' as '_'; e.g. {@code RUNWAY_SECRET_DEMO_SHOP_STAGING__DATABASE_URL}).
 * The double underscore ends the prefix: a safe project name never holds one, so project {@code a}
 * never reads a variable of project {@code a-staging};</li>
 * <li>files {@code <secrets-dir>/<safe project>-<env>/<NAME>} (a mounted Kubernetes Secret has this
 * shape; names starting with '.' are skipped, a trailing line break is dropped).</li>
 * </ol>
 * A name must be {@code [A-Za-z_][A-Za-z0-9_]*}; a value is never repeated in a reason.
 */
final class AppSecrets {

    static final int MAX_BYTES = 64 * 1024;

    private final Map<String, String> env;
    private final Optional<Path> dir;

    AppSecrets(Map<String, String> env, Optional<Path> dir) {
        this.env = env;
        this.dir = dir;
    }

    /** {@code RUNWAY_SECRET_DEMO_SHOP_STAGING__} for demo-shop in staging. */
    static String variablePrefix(ProjectEnv key) {
        return "RUNWAY_SECRET_" + (key.safe() + "_" + key.env()).toUpperCase(Locale.ROOT).replace('-', '_') + "__";
    }

    /** The directory of one project environment's secret files, if a secrets dir is configured. */
    Optional<Path> directory(ProjectEnv key) {
        return dir.map(d -> d.resolve(key.name()));
    }

    /** Name → value of the project environment's secrets. */
    Map<String, String> of(ProjectEnv key) {
        Map<String, String> secrets = new TreeMap<>();
        Optional<Path> files = directory(key);
        if (files.isPresent() && Files.isDirectory(files.get())) {
            try (Stream<Path> list = Files.list(files.get())) {
                for (Path file : list.sorted().toList()) {
                    String name = file.getFileName().toString();
                    if (name.startsWith(".") || !Files.isRegularFile(file)) {
                        continue;
                    }
                    secrets.put(requireName(name, "file " + file), read(file));
                }
            } catch (IOException e) {
                throw new StepFailure("BAD_SECRET", "cannot read the secrets of " + key + " in " + files.get() + ": "
                        + e.getClass().getSimpleName(), true);
            }
        }
        String prefix = variablePrefix(key);
        for (Map.Entry<String, String> e : new TreeMap<>(env).entrySet()) {
            if (e.getKey().startsWith(prefix)) {
                String name = requireName(e.getKey().substring(prefix.length()), "environment variable " + e.getKey());
                secrets.put(name, requireValue(e.getValue(), "environment variable " + e.getKey()));
            }
        }
        return secrets;
    }

    private static String requireName(String name, String source) {
        if (!EnvFile.NAME.matcher(name).matches()) {
            throw new StepFailure("BAD_SECRET", source + " does not name a variable ([A-Za-z_][A-Za-z0-9_]*)", false);
        }
        return name;
    }

    private static String read(Path file) throws IOException {
        if (Files.size(file) > MAX_BYTES) {
            throw new StepFailure("BAD_SECRET", "secret file " + file + " is larger than " + MAX_BYTES + " bytes", false);
        }
        String value = Files.readString(file, StandardCharsets.UTF_8);
        return requireValue(value.endsWith("\r\n") ? value.substring(0, value.length() - 2)
                : value.endsWith("\n") ? value.substring(0, value.length() - 1) : value, "secret file " + file);
    }

    private static String requireValue(String value, String source) {
        if (value.indexOf('\0') >= 0) {
            throw new StepFailure("BAD_SECRET", source + " contains a NUL character", false);
        }
        return value;
    }
}
