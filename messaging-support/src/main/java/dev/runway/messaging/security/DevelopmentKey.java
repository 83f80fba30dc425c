package dev.runway.messaging.security;

import java.io.IOException;
import java.io.InputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.spec.RSAPublicKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Recognises the development key pair committed in the repository (dev-keys/): anyone with the repository holds
 * its private key and can mint tokens, so a production service must never verify tokens with its public key.
 * Keys are compared by the SHA-256 of their X.509 SubjectPublicKeyInfo, whatever form the configuration gives
 * them in (PEM, bare base64 DER, or an RSA JWK / JWK set).
 */
public final class DevelopmentKey {

    /** SHA-256 of dev-keys/publicKey.pem's DER form ({@code openssl pkey -pubin -in dev-keys/publicKey.pem -outform DER | sha256sum}). */
    public static final String FINGERPRINT = "a4c44c13089121a9f22ec5bb2a819a24be972ff489ecab1e2caa46fd68460a74";

    private static final Pattern PEM = Pattern.compile("-----BEGIN PUBLIC KEY-----([A-Za-z0-9+/=\\s]+)-----END PUBLIC KEY-----");
    private static final Pattern JWK_N = Pattern.compile("\"n\"\\s*:\\s*\"([A-Za-z0-9_-]+)\"");
    private static final Pattern JWK_E = Pattern.compile("\"e\"\\s*:\\s*\"([A-Za-z0-9_-]+)\"");

    private DevelopmentKey() {
    }

    /** Whether this key text (PEM, base64 DER or JWK) holds the development public key. */
    public static boolean isDevelopmentKey(String keyText) {
        if (keyText == null) {
            return false;
        }
        Matcher pem = PEM.matcher(keyText);
        while (pem.find()) {
            if (isDevelopmentDer(Base64.getMimeDecoder().decode(pem.group(1)))) {
                return true;
            }
        }
        Matcher n = JWK_N.matcher(keyText);
        Matcher e = JWK_E.matcher(keyText);
        while (n.find() && e.find()) {
            try {
                PublicKey key = KeyFactory.getInstance("RSA").generatePublic(new RSAPublicKeySpec(
                        new BigInteger(1, Base64.getUrlDecoder().decode(n.group(1))),
                        new BigInteger(1, Base64.getUrlDecoder().decode(e.group(1)))));
                if (isDevelopmentDer(key.getEncoded())) {
                    return true;
                }
            } catch (GeneralSecurityException | IllegalArgumentException notRsa) {
                // not a key we can read: smallrye-jwt reports it
            }
        }
        String bare = keyText.strip();
        if (bare.matches("[A-Za-z0-9+/=\\s]+")) {
            try {
                return isDevelopmentDer(Base64.getMimeDecoder().decode(bare));
            } catch (IllegalArgumentException notBase64) {
                return false;
            }
        }
        return false;
    }

    static boolean isDevelopmentDer(byte[] der) {
        try {
            // Normalise through the key factory, so that the same key always yields the same bytes.
            byte[] encoded = KeyFactory.getInstance("RSA").generatePublic(new X509EncodedKeySpec(der)).getEncoded();
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(encoded)).equals(FINGERPRINT);
        } catch (GeneralSecurityException notAnRsaKey) {
            return false;
        }
    }

    /**
     * The text behind an {@code mp.jwt.verify.publickey.location}: a file ({@code file:} prefix or a path) or a
     * classpath resource ({@code classpath:} prefix or a relative name). Remote locations (http, https) are not read.
     */
    public static Optional<String> read(String location, ClassLoader classLoader) throws IOException {
        if (location == null || location.isBlank() || location.startsWith("http:") || location.startsWith("https:")) {
            return Optional.empty();
        }
        if (!location.startsWith("classpath:")) {
            Path file = Path.of(location.startsWith("file:") ? location.substring("file:".length()) : location);
            if (Files.isRegularFile(file)) {
                return Optional.of(Files.readString(file, StandardCharsets.UTF_8));
            }
        }
        String resource = location.startsWith("classpath:") ? location.substring("classpath:".length()) : location;
        try (InputStream in = classLoader.getResourceAsStream(resource.startsWith("/") ? resource.substring(1) : resource)) {
            return in == null ? Optional.empty() : Optional.of(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
    }
}
