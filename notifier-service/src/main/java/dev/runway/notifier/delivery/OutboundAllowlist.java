package dev.runway.notifier.delivery;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Which addresses the notifier may call. An address on the public internet may always be called. Loopback,
 * private (RFC 1918, fc00::/7, CGNAT), link-local, cloud metadata, multicast and reserved addresses may be
 * called only when the operator's allowlist ({@code runway.notifier.outbound.allow}) names them: a host name or
 * an address, each with an optional port ({@code hooks.internal:8443}, {@code 127.0.0.1:9000}, {@code [::1]:9000}),
 * or a CIDR range ({@code 10.20.0.0/16}, {@code fd12::/16}). A host name entry allows whatever that name
 * resolves to; every other target is judged by each of its resolved addresses.
 */
public final class OutboundAllowlist {

    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");

    /** Addresses that are never public, with the word a refusal uses for them; checked in order. */
    private static final List<Range> RESTRICTED = List.of(
            Range.of("169.254.169.254/32", "a cloud metadata address"),
            Range.of("100.100.100.200/32", "a cloud metadata address"),
            Range.of("fd00:ec2::254/128", "a cloud metadata address"),
            Range.of("0.0.0.0/8", "an unspecified address"),
            Range.of("::/128", "an unspecified address"),
            Range.of("127.0.0.0/8", "a loopback address"),
            Range.of("::1/128", "a loopback address"),
            Range.of("10.0.0.0/8", "a private address"),
            Range.of("172.16.0.0/12", "a private address"),
            Range.of("192.168.0.0/16", "a private address"),
            Range.of("fc00::/7", "a private address"),
            Range.of("fec0::/10", "a private address"),
            Range.of("100.64.0.0/10", "a shared (carrier-grade NAT) address"),
            Range.of("169.254.0.0/16", "a link-local address"),
            Range.of("fe80::/10", "a link-local address"),
            Range.of("224.0.0.0/4", "a multicast address"),
            Range.of("ff00::/8", "a multicast address"),
            Range.of("192.0.0.0/24", "a reserved address"),
            Range.of("192.0.2.0/24", "a reserved address"),
            Range.of("198.18.0.0/15", "a reserved address"),
            Range.of("198.51.100.0/24", "a reserved address"),
            Range.of("203.0.113.0/24", "a reserved address"),
            Range.of("240.0.0.0/4", "a reserved address"),
            Range.of("2001:db8::/32", "a reserved address"));

    /** IPv6 prefixes that carry an IPv4 address (which is judged instead): NAT64, 6to4, IPv4-compatible. */
    private static final Range NAT64 = Range.of("64:ff9b::/96", "");
    private static final Range SIX_TO_FOUR = Range.of("2002::/16", "");
    private static final Range IPV4_COMPATIBLE = Range.of("::/96", "");

    private final List<HostEntry> hosts;
    private final List<RangeEntry> ranges;

    private OutboundAllowlist(List<HostEntry> hosts, List<RangeEntry> ranges) {
        this.hosts = List.copyOf(hosts);
        this.ranges = List.copyOf(ranges);
    }

    /** @throws IllegalArgumentException naming the first entry that is neither host[:port], address[:port] nor CIDR */
    public static OutboundAllowlist of(List<String> entries) {
        List<HostEntry> hosts = new ArrayList<>();
        List<RangeEntry> ranges = new ArrayList<>();
        for (String raw : entries) {
            String entry = raw == null ? "" : raw.trim();
            if (entry.isEmpty()) {
                continue;
            }
            try {
                parse(entry, hosts, ranges);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("runway.notifier.outbound.allow: '" + entry + "' is not host[:port], "
                        + "address[:port] or a CIDR range (" + e.getMessage() + ")");
            }
        }
        return new OutboundAllowlist(hosts, ranges);
    }

    /**
     * Why {@code host:port}, resolved to {@code addresses}, must not be called; empty when it may. Every address is
     * judged, so a name that resolves to one public and one private address is refused.
     */
    public Optional<String> refusal(String host, int port, List<InetAddress> addresses) {
        String name = host.toLowerCase(Locale.ROOT);
        if (hosts.stream().anyMatch(h -> h.host().equals(name) && (h.port() < 0 || h.port() == port))) {
            return Optional.empty();
        }
        for (InetAddress address : addresses) {
            Optional<String> kind = restrictedKind(address);
            if (kind.isEmpty()) {
                continue;
            }
            boolean allowed = ranges.stream().anyMatch(r -> r.range().contains(address) && (r.port() < 0 || r.port() == port));
            if (!allowed) {
                boolean literal = literalAddress(name).isPresent();
                return Optional.of((literal ? host + " is" : "host " + host + " resolves to") + " " + kind.get()
                        + " (port " + port + "), which is not in runway.notifier.outbound.allow");
            }
        }
        return Optional.empty();
    }

    /** What kind of non-public address this is; empty for a public one. */
    public static Optional<String> restrictedKind(InetAddress address) {
        Optional<String> kind = RESTRICTED.stream().filter(r -> r.contains(address)).map(Range::kind).findFirst();
        if (kind.isPresent() || !(address instanceof Inet6Address)) {
            return kind;
        }
        return embeddedIpv4(address).flatMap(v4 -> restrictedKind(v4).map(k -> k + " (inside an IPv6 address)"));
    }

    private static Optional<InetAddress> embeddedIpv4(InetAddress address) {
        byte[] b = address.getAddress();
        byte[] v4;
        if (NAT64.contains(address) || IPV4_COMPATIBLE.contains(address)) {
            v4 = Arrays.copyOfRange(b, 12, 16);
        } else if (SIX_TO_FOUR.contains(address)) {
            v4 = Arrays.copyOfRange(b, 2, 6);
        } else {
            return Optional.empty();
        }
        try {
            return Optional.of(InetAddress.getByAddress(v4));
        } catch (UnknownHostException e) {
            return Optional.empty();
        }
    }

    private static void parse(String entry, List<HostEntry> hosts, List<RangeEntry> ranges) {
        if (entry.contains("/")) {
            ranges.add(new RangeEntry(Range.of(entry, ""), -1));
            return;
        }
        String host;
        int port = -1;
        if (entry.startsWith("[")) {
            int close = entry.indexOf(']');
            if (close < 0) {
                throw new IllegalArgumentException("no closing ]");
            }
            host = entry.substring(1, close);
            String rest = entry.substring(close + 1);
            if (!rest.isEmpty()) {
                if (!rest.startsWith(":")) {
                    throw new IllegalArgumentException("expected :port after ]");
                }
                port = port(rest.substring(1));
            }
        } else if (entry.indexOf(':') != entry.lastIndexOf(':')) {
            host = entry; // a bare IPv6 address
        } else if (entry.contains(":")) {
            host = entry.substring(0, entry.indexOf(':'));
            port = port(entry.substring(entry.indexOf(':') + 1));
        } else {
            host = entry;
        }
        host = host.toLowerCase(Locale.ROOT);
        Optional<InetAddress> literal = literalAddress(host);
        if (literal.isPresent()) {
            int bits = literal.get() instanceof Inet4Address ? 32 : 128;
            ranges.add(new RangeEntry(new Range(literal.get().getAddress(), bits, ""), port));
        } else if (host.matches("[a-z0-9]([a-z0-9-]*[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*\\.?")) {
            hosts.add(new HostEntry(host.endsWith(".") ? host.substring(0, host.length() - 1) : host, port));
        } else {
            throw new IllegalArgumentException("not a host name or address");
        }
    }

    private static int port(String text) {
        try {
            int port = Integer.parseInt(text);
            if (port < 1 || port > 65535) {
                throw new IllegalArgumentException("port out of range");
            }
            return port;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("port is not a number");
        }
    }

    /** The address a literal names (IPv4 dotted quad or IPv6), without any DNS lookup. */
    static Optional<InetAddress> literalAddress(String host) {
        String h = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        if (!IPV4.matcher(h).matches() && !h.contains(":")) {
            return Optional.empty();
        }
        try {
            // A literal is parsed, never looked up.
            return Optional.of(InetAddress.getByName(h));
        } catch (UnknownHostException e) {
            return Optional.empty();
        }
    }

    private record HostEntry(String host, int port) {
    }

    private record RangeEntry(Range range, int port) {
    }

    /** A CIDR range. */
    record Range(byte[] network, int bits, String kind) {

        static Range of(String cidr, String kind) {
            int slash = cidr.indexOf('/');
            if (slash < 0) {
                throw new IllegalArgumentException("no prefix length");
            }
            InetAddress address = literalAddress(cidr.substring(0, slash))
                    .orElseThrow(() -> new IllegalArgumentException("not an address before /"));
            int bits;
            try {
                bits = Integer.parseInt(cidr.substring(slash + 1));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("prefix length is not a number");
            }
            if (bits < 0 || bits > address.getAddress().length * 8) {
                throw new IllegalArgumentException("prefix length out of range");
            }
            return new Range(address.getAddress(), bits, kind);
        }

        boolean contains(InetAddress address) {
            byte[] a = address.getAddress();
            if (a.length != network.length) {
                return false;
            }
            int full = bits / 8;
            for (int i = 0; i < full; i++) {
                if (a[i] != network[i]) {
                    return false;
                }
            }
            int rest = bits % 8;
            if (rest == 0) {
                return true;
            }
            int mask = 0xff << (8 - rest) & 0xff;
            return (a[full] & mask) == (network[full] & mask);
        }
    }
}
