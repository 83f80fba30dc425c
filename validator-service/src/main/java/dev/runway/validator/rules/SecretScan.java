package dev.runway.validator.rules;

import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.runway.validator.source.FileTooLargeException;
import dev.runway.validator.source.ProjectSource;

/**
 * Finds secrets committed in plain files (sop.md 000-5.3): literal values of secret-named variables in
 * env-style files, passwords inside URLs, private keys, and a committed {@code .env.local}. Findings
 * name the file, line and variable, never the value.
 */
final class SecretScan {

    record Finding(String file, String message) {
    }

    static final int MAX_ENV_BYTES = 256 * 1024;
    static final int MAX_SCANNED_BYTES = 256 * 1024;
    /** Total bytes read looking for private keys; larger projects are scanned up to here. */
    static final long CONTENT_BUDGET = 32L * 1024 * 1024;

    private static final Pattern SECRET_NAME = Pattern.compile(
            "(?i)(secret|passw(or)?d|pwd|token|private|credential|api_?key|access_?key|encryption_?key|signing_?key|salt|_auth)");
    private static final Pattern URL_PASSWORD = Pattern.compile("[a-zA-Z][a-zA-Z0-9+.-]*://[^/\\s:@]+:([^@\\s]+)@");
    private static final List<String> REFERENCE_PREFIXES = List.of("vault:", "aws-sm:", "awssm:", "secretsmanager:",
            "arn:aws:secretsmanager:", "gcp-sm:", "azure-kv:", "op://", "sops:", "ENC[");
    private static final List<String> TEMPLATE_SUFFIXES = List.of(".example", ".sample", ".template", ".dist");
    private static final List<String> KEY_FILE_SUFFIXES = List.of(".p12", ".pfx", ".jks", ".keystore");
    private static final List<String> KEY_FILE_NAMES = List.of("id_rsa", "id_dsa", "id_ecdsa", "id_ed25519");
    private static final byte[] PRIVATE_KEY = "PRIVATE KEY-----".getBytes(StandardCharsets.US_ASCII);

    private SecretScan() {
    }

    /** @return findings, and in {@code envFiles[0]} how many env-style files were checked */
    static List<Finding> scan(ProjectSource source, int[] envFiles) {
        List<Finding> findings = new ArrayList<>();
        long budget = CONTENT_BUDGET;
        for (String path : source.files()) {
            String name = path.substring(path.lastIndexOf('/') + 1);
            if (name.equals(".env.local") || name.endsWith(".env.local")) {
                findings.add(new Finding(path, path + " is committed; local secrets belong in a git-ignored .env.local"));
                continue;
            }
            if (KEY_FILE_NAMES.contains(name) || KEY_FILE_SUFFIXES.stream().anyMatch(name::endsWith)) {
                findings.add(new Finding(path, path + " is key material; keep keys in the secret store"));
                continue;
            }
            if (isEnvLike(name)) {
                envFiles[0]++;
                scanEnvFile(source, path, findings);
                continue;
            }
            if (budget > 0) {
                budget -= scanForPrivateKey(source, path, findings);
            }
        }
        return findings;
    }

    static boolean isEnvLike(String name) {
        if (name.equals(".npmrc") || name.equals(".env") || name.endsWith(".env") || name.endsWith(".env.encrypted")) {
            return true;
        }
        return name.startsWith(".env.") && TEMPLATE_SUFFIXES.stream().noneMatch(name::endsWith);
    }

    private static void scanEnvFile(ProjectSource source, String path, List<Finding> findings) {
        String text;
        try {
            Optional<String> content = source.read(path, MAX_ENV_BYTES).map(b -> decode(b));
            if (content.isEmpty()) {
                return;
            }
            text = content.get();
        } catch (FileTooLargeException e) {
            findings.add(new Finding(path, path + " is too large to check for secrets (" + e.size() + " bytes)"));
            return;
        }
        for (Map.Entry<String, EnvFile.Entry> e : EnvFile.parse(text).entries().entrySet()) {
            String key = e.getKey();
            String value = e.getValue().value();
            int line = e.getValue().line();
            if (isReference(value)) {
                continue;
            }
            if (SECRET_NAME.matcher(key).find()) {
                findings.add(new Finding(path, path + ":" + line + " " + key + " holds a literal secret value"));
                continue;
            }
            Matcher url = URL_PASSWORD.matcher(value);
            while (url.find()) {
                if (!isReference(url.group(1))) {
                    findings.add(new Finding(path, path + ":" + line + " " + key + " embeds a password in a URL"));
                    break;
                }
            }
        }
    }

    private static String decode(byte[] bytes) {
        try {
            return ValidationContext.utf8(bytes);
        } catch (CharacterCodingException e) {
            return new String(bytes, StandardCharsets.ISO_8859_1);
        }
    }

    /** A value that names where the secret lives instead of holding it. */
    static boolean isReference(String value) {
        if (value.isEmpty() || value.startsWith("${") && value.endsWith("}") || value.startsWith("<") && value.endsWith(">")) {
            return true;
        }
        return REFERENCE_PREFIXES.stream().anyMatch(value::startsWith);
    }

    private static long scanForPrivateKey(ProjectSource source, String path, List<Finding> findings) {
        Optional<byte[]> bytes;
        try {
            bytes = source.read(path, MAX_SCANNED_BYTES);
        } catch (FileTooLargeException e) {
            return 0; // large files are binaries or data, not keys
        }
        if (bytes.isEmpty()) {
            return 0;
        }
        if (contains(bytes.get(), PRIVATE_KEY) && new String(bytes.get(), StandardCharsets.ISO_8859_1).contains("-----BEGIN ")) {
            findings.add(new Finding(path, path + " holds a private key"));
        }
        return bytes.get().length;
    }

    private static boolean contains(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i <= haystack.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }
}
