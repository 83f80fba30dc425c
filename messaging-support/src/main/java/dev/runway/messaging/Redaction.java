package dev.runway.messaging;

import java.net.URI;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The one function every Runway service passes text through before it logs, publishes, stores or sends it:
 * credentials are replaced by {@value #MASK}, everything else is left as it was, so a reason still says what
 * went wrong. It removes
 * <ul>
 * <li>user info of URLs: {@code https://user:token@host/x} → {@code https://***@host/x};</li>
 * <li>{@code Bearer} and {@code Basic} credentials;</li>
 * <li>values of secret-looking keys: {@code password=}, {@code DB_PASSWORD=}, {@code "token": "…"},
 * {@code api_key}, {@code client_secret}, {@code X-Amz-Signature=}, {@code ?sig=}, and the like;</li>
 * <li>tokens recognisable by their form: Slack ({@code xoxb-…}, {@code hooks.slack.com/services/…}), GitHub
 * ({@code ghp_…}, {@code github_pat_…}), GitLab ({@code glpat-…}), AWS access key ids, JSON Web Tokens and PEM
 * private keys;</li>
 * <li>with {@link #redact(String, Collection)}, any value the caller knows to be secret (configured keys, URLs).</li>
 * </ul>
 * Redacting twice gives the same text as redacting once.
 */
public final class Redaction {

    public static final String MASK = "***";

    /** Known secrets shorter than this are not replaced: they would blank ordinary words. */
    static final int MIN_KNOWN_SECRET = 4;

    private static final Pattern USER_INFO = Pattern.compile("\\b([a-zA-Z][a-zA-Z0-9+.-]*://)[^/?#@\\s\"'<>]+@");
    private static final Pattern BEARER = Pattern.compile("(?i)\\b(bearer\\s+)[A-Za-z0-9._~+/=-]{8,}");
    // Basic needs a digit or base64 padding/punctuation, so "Basic authentication" stays readable.
    private static final Pattern BASIC = Pattern.compile("(?i)\\b(basic\\s+)(?=[A-Za-z]*[0-9+/=])[A-Za-z0-9+/]{8,}={0,2}");
    private static final Pattern SECRET_KEY_VALUE = Pattern.compile("(?i)(\\b[A-Za-z0-9_.-]*?"
            + "(?:password|passwd|pwd|secret|token|api[_-]?key|access[_-]?key|private[_-]?key|credential|signature)"
            + "[A-Za-z0-9_.-]*\"?\\s*[=:]\\s*\"?)([^\\s&\"',;<>}\\]]+)");
    private static final Pattern SECRET_QUERY = Pattern.compile("(?i)([?&](?:sig|key|code)=)[^&#\\s\"'<>]+");
    private static final Pattern SLACK_WEBHOOK = Pattern.compile("(?i)(hooks\\.slack\\.com/(?:services|workflows|triggers)/)[^\\s\"'<>]+");
    private static final Pattern SLACK_TOKEN = Pattern.compile("\\b(xox[abposr]|xapp)-[A-Za-z0-9-]{8,}");
    private static final Pattern GITHUB_TOKEN = Pattern.compile("\\b(gh[pousr]_[A-Za-z0-9]{20,}|github_pat_[A-Za-z0-9_]{20,})");
    private static final Pattern GITLAB_TOKEN = Pattern.compile("\\bglpat-[A-Za-z0-9_-]{20,}");
    private static final Pattern AWS_KEY_ID = Pattern.compile("\\b(AKIA|ASIA)[0-9A-Z]{16}\\b");
    private static final Pattern JWT = Pattern.compile("\\beyJ[A-Za-z0-9_-]{5,}\\.eyJ[A-Za-z0-9_-]{5,}\\.[A-Za-z0-9_-]*");
    private static final Pattern PRIVATE_KEY = Pattern.compile(
            "-----BEGIN ([A-Z ]*)PRIVATE KEY-----[\\s\\S]*?(-----END [A-Z ]*PRIVATE KEY-----|\\z)");
    private static final Pattern HTTP_URL = Pattern.compile("(?i)\\bhttps?://[^\\s\"'<>]+");

    private Redaction() {
    }

    /** {@code text} without the credentials this class recognises; null stays null. */
    public static String redact(String text) {
        if (text == null || text.isEmpty()) {
            return text;
        }
        String out = PRIVATE_KEY.matcher(text).replaceAll("-----BEGIN $1PRIVATE KEY-----" + MASK + "-----END $1PRIVATE KEY-----");
        out = USER_INFO.matcher(out).replaceAll("$1" + MASK + "@");
        out = SLACK_WEBHOOK.matcher(out).replaceAll("$1" + MASK);
        out = BEARER.matcher(out).replaceAll("$1" + MASK);
        out = BASIC.matcher(out).replaceAll("$1" + MASK);
        out = SECRET_QUERY.matcher(out).replaceAll("$1" + MASK);
        out = SECRET_KEY_VALUE.matcher(out).replaceAll("$1" + MASK);
        out = SLACK_TOKEN.matcher(out).replaceAll("$1-" + MASK);
        out = GITHUB_TOKEN.matcher(out).replaceAll(MASK);
        out = GITLAB_TOKEN.matcher(out).replaceAll("glpat-" + MASK);
        out = AWS_KEY_ID.matcher(out).replaceAll("$1" + MASK);
        out = JWT.matcher(out).replaceAll(MASK);
        return out;
    }

    /**
     * {@link #redact(String)}, after replacing every value of {@code knownSecrets} (longest first, so a URL goes
     * whole before a shorter secret inside it). Values shorter than four characters are ignored.
     */
    public static String redact(String text, Collection<String> knownSecrets) {
        if (text == null || text.isEmpty()) {
            return text;
        }
        List<String> known = new ArrayList<>();
        for (String secret : knownSecrets) {
            if (secret != null && secret.length() >= MIN_KNOWN_SECRET) {
                known.add(secret);
            }
        }
        known.sort(Comparator.comparingInt(String::length).reversed());
        String out = text;
        for (String secret : known) {
            out = out.replace(secret, MASK);
        }
        return redact(out);
    }

    /**
     * Only scheme, host and port of a URL: {@code https://hooks.example.com/t/abc?k=1} → {@code https://hooks.example.com/…}.
     * For URLs whose path or query is the credential (incoming webhooks), where {@link #redact(String)} cannot know
     * which part is secret. Anything that is not an absolute URL with a host gives {@value #MASK}.
     */
    public static String hostOnly(String url) {
        if (url == null) {
            return MASK;
        }
        try {
            URI uri = URI.create(url.trim());
            if (uri.getScheme() == null || uri.getHost() == null) {
                return MASK;
            }
            return uri.getScheme() + "://" + uri.getHost() + (uri.getPort() > 0 ? ":" + uri.getPort() : "") + "/…";
        } catch (IllegalArgumentException e) {
            return MASK;
        }
    }

    /** {@link #redact(String, Collection)}, with every http(s) URL in the text cut down to {@link #hostOnly(String)}. */
    public static String redactWithHostOnlyUrls(String text, Collection<String> knownSecrets) {
        String out = redact(text, knownSecrets);
        if (out == null || out.isEmpty()) {
            return out;
        }
        Matcher m = HTTP_URL.matcher(out);
        StringBuilder sb = new StringBuilder();
        while (m.find()) {
            m.appendReplacement(sb, Matcher.quoteReplacement(hostOnly(m.group())));
        }
        m.appendTail(sb);
        return sb.toString();
    }
}
