import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Instant;
import java.util.Base64;
import java.util.UUID;

/**
 * Prints a bearer token for the local orchestrator (RS256, issuer https://runway.dev), signed with
 * the development key the tests use. Development only: production verifies tokens of its own
 * identity provider (JWT_PUBLIC_KEY_LOCATION, JWT_ISSUER).
 *
 * <p>Usage: {@code java Token.java <private-key.pem> <user> <role[,role…]> [hours]}
 */
public class Token {

    public static void main(String[] args) throws Exception {
        if (args.length < 3) {
            System.err.println("usage: Token <private-key.pem> <user> <role[,role...]> [hours]");
            System.exit(2);
        }
        String pem = Files.readString(Path.of(args[0]))
                .replaceAll("-----(BEGIN|END) PRIVATE KEY-----", "").replaceAll("\\s", "");
        PrivateKey key = KeyFactory.getInstance("RSA")
                .generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(pem)));
        long now = Instant.now().getEpochSecond();
        long hours = args.length > 3 ? Long.parseLong(args[3]) : 8;
        StringBuilder groups = new StringBuilder();
        for (String role : args[2].split(",")) {
            if (!role.matches("deployer|approver|sre|viewer")) {
                System.err.println("unknown role " + role + " (deployer, approver, sre, viewer)");
                System.exit(2);
            }
            groups.append(groups.isEmpty() ? "" : ",").append('"').append(role).append('"');
        }
        if (!args[1].matches("[A-Za-z0-9._@-]{1,64}")) {
            System.err.println("user must be 1-64 of letters, digits, . _ @ -");
            System.exit(2);
        }
        String header = "{\"alg\":\"RS256\",\"typ\":\"JWT\"}";
        String claims = "{\"iss\":\"https://runway.dev\",\"upn\":\"" + args[1] + "\",\"sub\":\"" + args[1]
                + "\",\"groups\":[" + groups + "],\"iat\":" + now + ",\"exp\":" + (now + hours * 3600)
                + ",\"jti\":\"" + UUID.randomUUID() + "\"}";
        String signingInput = b64(header.getBytes(StandardCharsets.UTF_8)) + "." + b64(claims.getBytes(StandardCharsets.UTF_8));
        Signature rs256 = Signature.getInstance("SHA256withRSA");
        rs256.initSign(key);
        rs256.update(signingInput.getBytes(StandardCharsets.US_ASCII));
        System.out.println(signingInput + "." + b64(rs256.sign()));
    }

    private static String b64(byte[] bytes) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
