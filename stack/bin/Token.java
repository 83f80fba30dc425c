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
 * Prints a bearer token for the local services (RS256, issuer https://runway.dev, audience runway), signed with
 * the private key it is given: {@code ./runway token} passes the local key pair of .runway/jwt/. Local use only:
 * a deployment verifies tokens of its own identity provider (JWT_PUBLIC_KEY_LOCATION, JWT_ISSUER).
 *
 * <p>Usage: {@code java Token.java <private-key.pem> <user> <role[,role…]> [projects] [hours]}, where
 * projects is the {@code runway_projects} claim as a comma-separated list of {@code *} (agency-wide),
 * {@code <client>/*} or {@code <client>/<project>}; default {@code *}.
 */
public class Token {

    public static void main(String[] args) throws Exception {
        if (args.length < 3) {
            System.err.println("usage: Token <private-key.pem> <user> <role[,role...]> [projects] [hours]");
            System.exit(2);
        }
        String projectList = args.length > 3 ? args[3] : "*";
        StringBuilder projects = new StringBuilder();
        for (String pattern : projectList.split(",")) {
            // The same shapes dev.runway.access.ProjectScope accepts (kept apart: this file runs without a build).
            if (!pattern.equals("*") && !pattern.matches("[a-z0-9][a-z0-9._-]*/(\\*|[a-z0-9][a-z0-9._-]*)")) {
                System.err.println("project pattern '" + pattern + "' is not *, <client>/* or <client>/<project>");
                System.exit(2);
            }
            projects.append(projects.isEmpty() ? "" : ",").append('"').append(pattern).append('"');
        }
        String pem = Files.readString(Path.of(args[0]))
                .replaceAll("-----(BEGIN|END) PRIVATE KEY-----", "").replaceAll("\\s", "");
        PrivateKey key = KeyFactory.getInstance("RSA")
                .generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(pem)));
        long now = Instant.now().getEpochSecond();
        long hours = args.length > 4 ? Long.parseLong(args[4]) : 8;
        StringBuilder groups = new StringBuilder();
        for (String role : args[2].split(",")) {
            if (!role.matches("deployer|approver|sre|viewer|metrics")) {
                System.err.println("unknown role " + role + " (deployer, approver, sre, viewer, metrics)");
                System.exit(2);
            }
            groups.append(groups.isEmpty() ? "" : ",").append('"').append(role).append('"');
        }
        if (!args[1].matches("[A-Za-z0-9._@-]{1,64}")) {
            System.err.println("user must be 1-64 of letters, digits, . _ @ -");
            System.exit(2);
        }
        String header = "{\"alg\":\"RS256\",\"typ\":\"JWT\"}";
        String claims = "{\"iss\":\"https://runway.dev\",\"aud\":\"runway\",\"upn\":\"" + args[1] + "\",\"sub\":\"" + args[1]
                + "\",\"groups\":[" + groups + "],\"runway_projects\":[" + projects + "],\"iat\":" + now + ",\"exp\":" + (now + hours * 3600)
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
