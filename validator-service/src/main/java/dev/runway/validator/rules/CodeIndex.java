package dev.runway.validator.rules;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

import dev.runway.validator.source.FileTooLargeException;
import dev.runway.validator.source.ProjectSource;

/**
 * Source files of a snapshot, searched for identifiers a migration drops; read once, on the first
 * search, and bounded in bytes (per file and in total).
 */
final class CodeIndex {

    static final int MAX_CODE_BYTES = 512 * 1024;
    static final long CODE_BUDGET = 32L * 1024 * 1024;

    private static final Set<String> CODE_EXTENSIONS = Set.of("js", "jsx", "mjs", "cjs", "ts", "tsx", "java", "kt", "py", "go", "rb",
            "dart", "php", "cs", "prisma", "graphql", "gql", "vue", "svelte");

    private final ProjectSource source;
    private final String migrationsDir;
    private Map<String, String> texts;

    /** @param migrationsDir left out of the search: the migrations themselves are not code that reads a name */
    CodeIndex(ProjectSource source, String migrationsDir) {
        this.source = source;
        this.migrationsDir = migrationsDir + "/";
    }

    /** The first file (in path order) that mentions {@code identifier} as a whole word, case-insensitive. */
    Optional<String> firstReference(String identifier) {
        Pattern word = Pattern.compile("(?i)(?<![A-Za-z0-9_])" + Pattern.quote(identifier) + "(?![A-Za-z0-9_])");
        for (Map.Entry<String, String> e : texts().entrySet()) {
            if (word.matcher(e.getValue()).find()) {
                return Optional.of(e.getKey());
            }
        }
        return Optional.empty();
    }

    private Map<String, String> texts() {
        if (texts == null) {
            texts = new TreeMap<>();
            long budget = CODE_BUDGET;
            for (String path : source.files()) {
                int dot = path.lastIndexOf('.');
                if (budget <= 0 || dot < 0 || !CODE_EXTENSIONS.contains(path.substring(dot + 1))
                        || path.startsWith(migrationsDir) || path.contains("node_modules/")) {
                    continue;
                }
                try {
                    Optional<byte[]> bytes = source.read(path, MAX_CODE_BYTES);
                    if (bytes.isPresent()) {
                        budget -= bytes.get().length;
                        texts.put(path, new String(bytes.get(), StandardCharsets.UTF_8));
                    }
                } catch (FileTooLargeException e) {
                    // generated bundles are not the code that reads columns
                }
            }
        }
        return texts;
    }
}
