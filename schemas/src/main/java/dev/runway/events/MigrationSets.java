package dev.runway.events;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The one definition of a {@link MigrationSet}'s checksums, used by the validator (which records the set it
 * validated) and the executor (which refuses to run a set that differs from it): per file the SHA-256 of its bytes,
 * for the set the SHA-256 of the lines {@code "<file> <sha256>\n"} of the files sorted by name.
 */
public final class MigrationSets {

    private MigrationSets() {
    }

    /** The set of {@code files} (file name → bytes) of the migrations directory {@code path}. */
    public static MigrationSet of(String path, Map<String, byte[]> files) {
        List<MigrationChecksum> checksums = new ArrayList<>();
        new TreeMap<>(files).forEach((name, bytes) -> checksums.add(
                MigrationChecksum.newBuilder().setFile(name).setSha256(sha256(bytes)).build()));
        StringBuilder lines = new StringBuilder();
        checksums.forEach(c -> lines.append(c.getFile()).append(' ').append(c.getSha256()).append('\n'));
        return MigrationSet.newBuilder().setPath(path).setSha256(sha256(lines.toString().getBytes(StandardCharsets.UTF_8)))
                .setFiles(checksums).build();
    }

    /**
     * The first difference of {@code actual} from {@code validated}, in words naming the file (by name order), or
     * empty when they hold the same files with the same bytes in the same directory.
     */
    public static Optional<String> difference(MigrationSet validated, MigrationSet actual) {
        if (!validated.getPath().equals(actual.getPath())) {
            return Optional.of("migrations path " + actual.getPath() + " is not the validated " + validated.getPath());
        }
        Map<String, String> expected = byFile(validated);
        Map<String, String> found = byFile(actual);
        TreeSet<String> names = new TreeSet<>(expected.keySet());
        names.addAll(found.keySet());
        for (String name : names) {
            String want = expected.get(name);
            String got = found.get(name);
            String file = validated.getPath() + "/" + name;
            if (want == null) {
                return Optional.of(file + " was not validated (it is not in the validated set)");
            }
            if (got == null) {
                return Optional.of(file + " was validated but is missing");
            }
            if (!want.equals(got)) {
                return Optional.of(file + " changed after validation (sha256 " + abbreviated(got) + ", validated "
                        + abbreviated(want) + ")");
            }
        }
        return Optional.empty();
    }

    /** Lower-case hex SHA-256 of {@code bytes}. */
    public static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    private static Map<String, String> byFile(MigrationSet set) {
        Map<String, String> m = new TreeMap<>();
        set.getFiles().forEach(c -> m.put(c.getFile(), c.getSha256()));
        return m;
    }

    private static String abbreviated(String sha) {
        return sha.length() > 12 ? sha.substring(0, 12) : sha;
    }
}
