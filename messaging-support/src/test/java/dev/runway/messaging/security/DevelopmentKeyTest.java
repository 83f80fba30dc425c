package dev.runway.messaging.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;
import java.util.Base64;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DevelopmentKeyTest {

    private static final ClassLoader CLASSPATH = DevelopmentKeyTest.class.getClassLoader();

    @Test
    void shouldRecogniseTheCommittedDevelopmentKeyInEveryForm() throws Exception {
        // test-support puts the repository's dev-keys/ on the test classpath
        String pem = DevelopmentKey.read("dev-keys/publicKey.pem", CLASSPATH).orElseThrow();
        assertTrue(DevelopmentKey.isDevelopmentKey(pem), "PEM");
        String base64 = pem.replaceAll("-----(BEGIN|END) PUBLIC KEY-----", "").replaceAll("\\s", "");
        assertTrue(DevelopmentKey.isDevelopmentKey(base64), "bare base64 DER, as mp.jwt.verify.publickey takes it");
        RSAPublicKey rsa = (RSAPublicKey) KeyFactory.getInstance("RSA")
                .generatePublic(new X509EncodedKeySpec(Base64.getDecoder().decode(base64)));
        assertTrue(DevelopmentKey.isDevelopmentKey(jwk(rsa)), "a JWK set");
    }

    @Test
    void shouldNotMistakeAnotherKeyForIt() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        PublicKey other = generator.generateKeyPair().getPublic();
        String pem = "-----BEGIN PUBLIC KEY-----\n" + Base64.getMimeEncoder().encodeToString(other.getEncoded()) + "\n-----END PUBLIC KEY-----\n";
        assertFalse(DevelopmentKey.isDevelopmentKey(pem));
        assertFalse(DevelopmentKey.isDevelopmentKey(jwk((RSAPublicKey) other)));
        assertFalse(DevelopmentKey.isDevelopmentKey("not a key"));
        assertFalse(DevelopmentKey.isDevelopmentKey(null));
    }

    @Test
    void shouldReadFilesAndClasspathResourcesButNotRemoteLocations(@TempDir Path dir) throws Exception {
        String pem = DevelopmentKey.read("classpath:dev-keys/publicKey.pem", CLASSPATH).orElseThrow();
        Path file = Files.writeString(dir.resolve("key.pem"), pem);
        assertEquals(Optional.of(pem), DevelopmentKey.read(file.toString(), CLASSPATH));
        assertEquals(Optional.of(pem), DevelopmentKey.read("file:" + file, CLASSPATH));
        assertEquals(Optional.empty(), DevelopmentKey.read("https://idp.example.com/jwks", CLASSPATH));
        assertEquals(Optional.empty(), DevelopmentKey.read(dir.resolve("missing.pem").toString(), CLASSPATH));
    }

    private static String jwk(RSAPublicKey key) {
        Base64.Encoder url = Base64.getUrlEncoder().withoutPadding();
        return "{\"keys\":[{\"kty\":\"RSA\",\"use\":\"sig\",\"n\":\"" + url.encodeToString(unsigned(key.getModulus().toByteArray()))
                + "\",\"e\":\"" + url.encodeToString(unsigned(key.getPublicExponent().toByteArray())) + "\"}]}";
    }

    private static byte[] unsigned(byte[] bytes) {
        return bytes[0] == 0 ? Arrays.copyOfRange(bytes, 1, bytes.length) : bytes;
    }
}
