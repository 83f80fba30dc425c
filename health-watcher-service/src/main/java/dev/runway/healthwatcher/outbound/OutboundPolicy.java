package dev.runway.healthwatcher.outbound;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Which addresses the watcher may fetch from. Public unicast addresses are allowed; loopback, private,
 * link-local, cloud metadata, unspecified, multicast and reserved ones are refused unless the operator's
 * allowlist ({@code runway.health.outbound.allow}) names them. Entries: {@code host:port},
 * {@code host:from-to} (a name matches the URL's host, an IP literal the resolved address; IPv6 in
 * brackets) or a CIDR / single IP (every port). Plain Java, no I/O: it judges addresses already resolved.
 */
public final class OutboundPolicy {

    /** An address block; {@code contains} compares the first {@code prefix} bits. */
    record Cidr(byte[] network, int prefix) {

        static Cidr parse(String text) {
            int slash = text.indexOf('/');
            byte[] address = literal(slash < 0 ? text : text.substring(0, slash));
            int bits = address.length * 8;
            int prefix;
            try {
                prefix = slash < 0 ? bits : Integer.parseInt(text.substring(slash + 1));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("bad prefix length in " + text);
            }
            if (prefix < 0 || prefix > bits) {
                throw new IllegalArgumentException("prefix length out of range in " + text);
            }
            return new Cidr(address, prefix);
        }

        boolean contains(byte[] address) {
            if (address.length != network.length) {
                return false;
            }
            int full = prefix / 8;
            for (int i = 0; i < full; i++) {
                if (address[i] != network[i]) {
                    return false;
                }
            }
            int rest = prefix % 8;
            if (rest == 0) {
                return true;
            }
            int mask = (0xff << (8 - rest)) & 0xff;
            return (address[full] & mask) == (network[full] & mask);
        }
    }

    private record Range(Cidr block, String kind) {
    }

    /** First match wins, so the specific blocks (metadata) come before the blocks that hold them. */
    private static final List<Range> RESTRICTED = List.of(
            new Range(Cidr.parse("169.254.169.254/32"), "cloud metadata"),
            new Range(Cidr.parse("169.254.170.2/32"), "cloud metadata"),
            new Range(Cidr.parse("100.100.100.200/32"), "cloud metadata"),
            new Range(Cidr.parse("fd00:ec2::254/128"), "cloud metadata"),
            new Range(Cidr.parse("0.0.0.0/8"), "unspecified"),
            new Range(Cidr.parse("::/128"), "unspecified"),
            new Range(Cidr.parse("127.0.0.0/8"), "loopback"),
            new Range(Cidr.parse("::1/128"), "loopback"),
            new Range(Cidr.parse("10.0.0.0/8"), "private"),
            new Range(Cidr.parse("172.16.0.0/12"), "private"),
            new Range(Cidr.parse("192.168.0.0/16"), "private"),
            new Range(Cidr.parse("fc00::/7"), "private"),
            new Range(Cidr.parse("fec0::/10"), "private"),
            new Range(Cidr.parse("64:ff9b:1::/48"), "private"),
            new Range(Cidr.parse("100.64.0.0/10"), "carrier-grade NAT"),
            new Range(Cidr.parse("169.254.0.0/16"), "link-local"),
            new Range(Cidr.parse("fe80::/10"), "link-local"),
            new Range(Cidr.parse("224.0.0.0/4"), "multicast"),
            new Range(Cidr.parse("ff00::/8"), "multicast"),
            new Range(Cidr.parse("240.0.0.0/4"), "reserved"),
            new Range(Cidr.parse("192.0.0.0/24"), "reserved"),
            new Range(Cidr.parse("192.0.2.0/24"), "reserved"),
            new Range(Cidr.parse("198.18.0.0/15"), "reserved"),
            new Range(Cidr.parse("198.51.100.0/24"), "reserved"),
            new Range(Cidr.parse("203.0.113.0/24"), "reserved"),
            new Range(Cidr.parse("100::/64"), "reserved"),
            new Range(Cidr.parse("2001:db8::/32"), "reserved"));

    /**
     * IPv6 blocks that carry an IPv4 address; the embedded one is judged (offset of its first byte). IPv4-mapped
     * addresses (::ffff:a.b.c.d) need no entry: Java hands them over as IPv4 addresses.
     */
    private static final List<Range> EMBEDDING = List.of(
            new Range(Cidr.parse("::/96"), "12"),
            new Range(Cidr.parse("64:ff9b::/96"), "12"),
            new Range(Cidr.parse("2002::/16"), "2"));

    private static final Pattern HOST_PORT = Pattern.compile("^(\\[[^\\]]+]|[^:\\[\\]]+):(\\d{1,5})(?:-(\\d{1,5}))?$");

    private sealed interface Entry permits HostEntry, BlockEntry {
        boolean matches(String host, InetAddress address, int port);
    }

    /** {@code host:port[-to]}: a name matches the URL's host, an IP literal the address connected to. */
    private record HostEntry(String name, byte[] address, int from, int to) implements Entry {
        @Override
        public boolean matches(String host, InetAddress resolved, int port) {
            if (port < from || port > to) {
                return false;
            }
            return address != null ? Arrays.equals(address, resolved.getAddress()) : name.equals(normalise(host));
        }
    }

    private record BlockEntry(Cidr block) implements Entry {
        @Override
        public boolean matches(String host, InetAddress resolved, int port) {
            return block.contains(resolved.getAddress());
        }
    }

    private final List<Entry> allow;
    private final String setting;

    private OutboundPolicy(List<Entry> allow, String setting) {
        this.allow = allow;
        this.setting = setting;
    }

    /** Parses the allowlist; a malformed entry is an error naming it (the service must not start with it). */
    public static OutboundPolicy of(List<String> entries, String setting) {
        List<Entry> parsed = new ArrayList<>();
        for (String raw : entries) {
            String entry = raw.strip();
            if (entry.isEmpty()) {
                continue;
            }
            try {
                parsed.add(entry(entry));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(setting + ": entry '" + entry + "' is not host:port, host:port-port or a CIDR ("
                        + e.getMessage() + ")");
            }
        }
        return new OutboundPolicy(List.copyOf(parsed), setting);
    }

    private static Entry entry(String entry) {
        Matcher m = HOST_PORT.matcher(entry);
        if (m.matches()) {
            int from = port(m.group(2));
            int to = m.group(3) == null ? from : port(m.group(3));
            if (to < from) {
                throw new IllegalArgumentException("port range " + from + "-" + to + " is empty");
            }
            String host = m.group(1);
            boolean literal = host.startsWith("[") || host.matches("[0-9.]+");
            if (literal) {
                return new HostEntry(null, literal(host.startsWith("[") ? host.substring(1, host.length() - 1) : host), from, to);
            }
            return new HostEntry(normalise(host), null, from, to);
        }
        if (entry.contains("/") || entry.contains(":") || entry.matches("[0-9.]+")) {
            return new BlockEntry(Cidr.parse(entry));
        }
        throw new IllegalArgumentException("a host name needs a port");
    }

    private static int port(String text) {
        int port = Integer.parseInt(text);
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port " + port + " out of range");
        }
        return port;
    }

    /** The bytes of an IP literal; never a name lookup (digits, dots, colons and hex only). */
    static byte[] literal(String text) {
        if (!text.matches("[0-9.]+") && !text.matches("[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*")) {
            throw new IllegalArgumentException("not an IP address: " + text);
        }
        if (text.matches("[0-9.]+") && !text.matches("\\d{1,3}(\\.\\d{1,3}){3}")) {
            throw new IllegalArgumentException("not a dotted-quad IPv4 address: " + text);
        }
        try {
            return InetAddress.getByName(text).getAddress();
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("not an IP address: " + text);
        }
    }

    private static String normalise(String host) {
        String h = host.toLowerCase(Locale.ROOT);
        return h.endsWith(".") ? h.substring(0, h.length() - 1) : h;
    }

    /** What kind of non-public address this is, or null for a public unicast address. */
    public static String restrictedKind(InetAddress address) {
        byte[] bytes = address.getAddress();
        for (Range r : RESTRICTED) {
            if (r.block().contains(bytes)) {
                return r.kind();
            }
        }
        for (Range r : EMBEDDING) {
            if (r.block().contains(bytes)) {
                int at = Integer.parseInt(r.kind());
                byte[] v4 = { bytes[at], bytes[at + 1], bytes[at + 2], bytes[at + 3] };
                try {
                    String inner = restrictedKind(InetAddress.getByAddress(v4));
                    return inner == null ? null : inner + " (IPv4 inside IPv6)";
                } catch (UnknownHostException e) {
                    throw new IllegalStateException(e);
                }
            }
        }
        return null;
    }

    /**
     * Null when {@code host:port}, resolved to {@code address}, may be fetched; otherwise why not, naming the
     * address, its kind and the setting that would allow it.
     */
    public String refusal(String host, int port, InetAddress address) {
        String kind = restrictedKind(address);
        if (kind == null || allow.stream().anyMatch(e -> e.matches(host, address, port))) {
            return null;
        }
        String shown = address.getHostAddress();
        String target = normalise(host).equals(shown) || ("[" + shown + "]").equals(host) ? shown : host + " (" + shown + ")";
        String article = "aeiou".indexOf(kind.charAt(0)) >= 0 ? "an " : "a ";
        return target + ":" + port + " is " + article + kind + " address and " + setting + " does not name it";
    }
}
