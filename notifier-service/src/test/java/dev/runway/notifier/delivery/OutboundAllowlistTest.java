package dev.runway.notifier.delivery;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;

/** Which addresses a delivery may reach, judged on resolved addresses (no DNS here: literals only). */
class OutboundAllowlistTest {

    private static final OutboundAllowlist NONE = OutboundAllowlist.of(List.of());

    @Test
    void shouldRefuseMetadataPrivateLoopbackAndLinkLocalAddressesByDefault() {
        assertRefused(NONE, "169.254.169.254", 80, "a cloud metadata address");
        assertRefused(NONE, "fd00:ec2::254", 80, "a cloud metadata address");
        assertRefused(NONE, "10.0.0.1", 80, "a private address");
        assertRefused(NONE, "172.20.1.1", 443, "a private address");
        assertRefused(NONE, "192.168.1.10", 443, "a private address");
        assertRefused(NONE, "fd12:3456::1", 443, "a private address");
        assertRefused(NONE, "127.0.0.1", 8080, "a loopback address");
        assertRefused(NONE, "::1", 8080, "a loopback address");
        assertRefused(NONE, "169.254.10.1", 80, "a link-local address");
        assertRefused(NONE, "fe80::1", 80, "a link-local address");
        assertRefused(NONE, "0.0.0.0", 80, "an unspecified address");
        assertRefused(NONE, "100.64.0.1", 80, "a shared (carrier-grade NAT) address");
        assertRefused(NONE, "224.0.0.1", 80, "a multicast address");
    }

    @Test
    void shouldSeeThroughIpv4AddressesInsideIpv6Ones() {
        assertRefused(NONE, "64:ff9b::a00:1", 80, "a private address (inside an IPv6 address)"); // NAT64 of 10.0.0.1
        assertRefused(NONE, "2002:a9fe:a9fe::", 80, "a cloud metadata address (inside an IPv6 address)"); // 6to4 of 169.254.169.254
        assertRefused(NONE, "::ffff:127.0.0.1", 80, "a loopback address");
    }

    @Test
    void shouldLetPublicAddressesThroughWithoutAnEntry() {
        assertEquals(Optional.empty(), NONE.refusal("hooks.example.com", 443, addresses("93.184.216.34", "2606:2800:220:1::1")));
    }

    @Test
    void shouldJudgeEveryResolvedAddressOfAName() {
        // A name with one public and one internal address (a rebinding setup) is refused as a whole.
        String reason = NONE.refusal("rebind.example.com", 80, addresses("93.184.216.34", "10.0.0.1")).orElseThrow();
        assertEquals("host rebind.example.com resolves to a private address (port 80), which is not in "
                + "runway.notifier.outbound.allow", reason);
    }

    @Test
    void shouldAllowWhatTheOperatorNames() {
        OutboundAllowlist allow = OutboundAllowlist.of(List.of("10.0.0.0/8", "169.254.169.254:80", "127.0.0.1:9000",
                "[::1]:9000", "hooks.internal:8443", "fd12::/16"));
        assertEquals(Optional.empty(), allow.refusal("10.0.0.1", 80, addresses("10.0.0.1")));
        assertEquals(Optional.empty(), allow.refusal("169.254.169.254", 80, addresses("169.254.169.254")));
        assertEquals(Optional.empty(), allow.refusal("127.0.0.1", 9000, addresses("127.0.0.1")));
        assertEquals(Optional.empty(), allow.refusal("localhost", 9000, addresses("127.0.0.1", "::1")));
        assertEquals(Optional.empty(), allow.refusal("hooks.internal", 8443, addresses("192.168.7.7")));
        assertEquals(Optional.empty(), allow.refusal("fd12::5", 443, addresses("fd12::5")));
        // The port is part of an entry that names one.
        assertRefused(allow, "127.0.0.1", 9001, "a loopback address");
        assertRefused(allow, "169.254.169.254", 8080, "a cloud metadata address");
        assertTrue(allow.refusal("hooks.internal", 443, addresses("192.168.7.7")).isPresent());
        // A range allows only itself.
        assertRefused(allow, "192.168.0.1", 80, "a private address");
    }

    @Test
    void shouldRefuseAnAllowlistEntryItCannotRead() {
        for (String bad : List.of("10.0.0.0/33", "host:port", "[::1", "a_b.example:80", "1.2.3.4/x", "host:70000")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> OutboundAllowlist.of(List.of(bad)));
            assertThat(e.getMessage(), containsString("runway.notifier.outbound.allow: '" + bad + "'"));
        }
    }

    private static void assertRefused(OutboundAllowlist allowlist, String address, int port, String kind) {
        String reason = allowlist.refusal(address, port, addresses(address)).orElseThrow(() -> new AssertionError(address + " allowed"));
        assertEquals(address + " is " + kind + " (port " + port + "), which is not in runway.notifier.outbound.allow", reason);
    }

    private static List<InetAddress> addresses(String... literals) {
        return Arrays.stream(literals).map(OutboundAllowlistTest::literal).toList();
    }

    private static InetAddress literal(String text) {
        try {
            return InetAddress.getByName(text);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(e);
        }
    }
}
