package dev.runway.healthwatcher.outbound;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The address classes and the allowlist, on addresses given as literals (no name lookup). */
class OutboundPolicyTest {

    static final String SETTING = "runway.health.outbound.allow";
    static final OutboundPolicy NONE = OutboundPolicy.of(List.of(), SETTING);

    static InetAddress ip(String literal) {
        try {
            return InetAddress.getByName(literal);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(e);
        }
    }

    @ParameterizedTest
    @CsvSource({
            "169.254.169.254, cloud metadata", "169.254.170.2, cloud metadata", "100.100.100.200, cloud metadata",
            "fd00:ec2::254, cloud metadata",
            "127.0.0.1, loopback", "127.1.2.3, loopback", "::1, loopback",
            "10.0.0.1, private", "172.16.0.1, private", "172.31.255.255, private", "192.168.1.1, private", "fd12:3456::1, private",
            "fc00::1, private",
            "169.254.1.1, link-local", "fe80::1, link-local",
            "0.0.0.0, unspecified", "0.1.2.3, unspecified", "::, unspecified",
            "100.64.0.1, carrier-grade NAT", "224.0.0.1, multicast", "ff02::1, multicast", "255.255.255.255, reserved",
            "198.18.0.1, reserved",
            // IPv4 hidden in IPv6: mapped (Java hands it over as IPv4), compatible, NAT64, 6to4.
            "::ffff:169.254.169.254, cloud metadata", "::ffff:127.0.0.1, loopback",
            "::127.0.0.1, loopback (IPv4 inside IPv6)", "64:ff9b::a9fe:a9fe, cloud metadata (IPv4 inside IPv6)",
            "2002:0a00:0001::, private (IPv4 inside IPv6)" })
    void nonPublicAddressesAreNamedByKind(String address, String kind) {
        assertEquals(kind, OutboundPolicy.restrictedKind(ip(address)));
        String why = NONE.refusal(address, 80, ip(address));
        assertNotNull(why, address + " must be refused without an allowlist");
        assertTrue(why.contains(kind) && why.contains(SETTING), why);
    }

    @ParameterizedTest
    @ValueSource(strings = { "93.184.216.34", "8.8.8.8", "172.32.0.1", "100.128.0.1", "2606:4700:4700::1111", "64:ff9b::808:808" })
    void publicAddressesAreAllowedWithoutAnAllowlist(String address) {
        assertNull(OutboundPolicy.restrictedKind(ip(address)));
        assertNull(NONE.refusal(address, 443, ip(address)));
    }

    @Test
    void anIpAndPortRangeAllowsExactlyThatAddressAndThosePorts() {
        OutboundPolicy demo = OutboundPolicy.of(List.of("127.0.0.1:8600-8999", " 127.0.0.1:9100-9499 "), SETTING);
        assertNull(demo.refusal("127.0.0.1", 8600, ip("127.0.0.1")));
        assertNull(demo.refusal("127.0.0.1", 9499, ip("127.0.0.1")));
        // The IP entry judges the address connected to, whatever spelling the URL used.
        assertNull(demo.refusal("2130706433", 8800, ip("127.0.0.1")));
        assertNotNull(demo.refusal("127.0.0.1", 9000, ip("127.0.0.1")));
        assertNotNull(demo.refusal("127.0.0.1", 80, ip("127.0.0.1")));
        assertNotNull(demo.refusal("127.0.0.2", 8800, ip("127.0.0.2")));
        assertNotNull(demo.refusal("169.254.169.254", 8800, ip("169.254.169.254")));
    }

    @Test
    void aCidrAllowsEveryPortOfItsBlock() {
        OutboundPolicy cluster = OutboundPolicy.of(List.of("10.20.0.0/16", "fd00:1::/32", "192.168.7.7"), SETTING);
        assertNull(cluster.refusal("10.20.3.4", 9090, ip("10.20.3.4")));
        assertNull(cluster.refusal("10.20.255.255", 1, ip("10.20.255.255")));
        assertNotNull(cluster.refusal("10.21.0.1", 9090, ip("10.21.0.1")));
        assertNull(cluster.refusal("fd00:1::5", 80, ip("fd00:1::5")));
        assertNotNull(cluster.refusal("fd00:2::5", 80, ip("fd00:2::5")));
        assertNull(cluster.refusal("192.168.7.7", 8080, ip("192.168.7.7")));
        assertNotNull(cluster.refusal("192.168.7.8", 8080, ip("192.168.7.8")));
    }

    @Test
    void aNamedHostIsAllowedByItsNameOnItsPorts() {
        OutboundPolicy named = OutboundPolicy.of(List.of("Metrics.Internal:9100", "[::1]:8080"), SETTING);
        assertNull(named.refusal("metrics.internal", 9100, ip("10.1.2.3")));
        assertNull(named.refusal("metrics.internal.", 9100, ip("10.1.2.3")));
        assertNotNull(named.refusal("metrics.internal", 9101, ip("10.1.2.3")));
        assertNotNull(named.refusal("other.internal", 9100, ip("10.1.2.3")), "another name resolving to the same address");
        assertNull(named.refusal("::1", 8080, ip("::1")));
        assertNotNull(named.refusal("::1", 8081, ip("::1")));
    }

    @ParameterizedTest
    @ValueSource(strings = { "metrics.internal", "127.0.0.1:0", "127.0.0.1:70000", "127.0.0.1:9000-8000", "10.0.0.0/33", "10.0.0/8",
            "127.1:80", "not an entry/8" })
    void aMalformedEntryIsAnErrorNamingIt(String entry) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> OutboundPolicy.of(List.of(entry), SETTING));
        assertTrue(e.getMessage().contains(SETTING) && e.getMessage().contains(entry), e.getMessage());
    }

    @Test
    void aWatchUrlIsTakenApartOnceWithoutCredentials() {
        OutboundTarget t = OutboundTarget.parse("https://metrics.example.com/q/metrics?x=1");
        assertEquals(new OutboundTarget("https://metrics.example.com/q/metrics?x=1", true, "metrics.example.com", 443, "/q/metrics?x=1"), t);
        assertEquals(80, OutboundTarget.parse("http://[::1]").port());
        assertEquals("::1", OutboundTarget.parse("http://[::1]:9100/").host());
        assertEquals("/", OutboundTarget.parse("http://10.0.0.1").requestUri());
        // A manifest healthcheck of "@169.254.169.254/" turns {endpoint}{healthcheck} into user info + another host.
        IllegalArgumentException hidden = assertThrows(IllegalArgumentException.class,
                () -> OutboundTarget.parse("http://127.0.0.1:9100@169.254.169.254/"));
        assertTrue(hidden.getMessage().contains("user info"), hidden.getMessage());
        IllegalArgumentException secret = assertThrows(IllegalArgumentException.class,
                () -> OutboundTarget.parse("https://deploy:s3cr3t-token@metrics.example.com/q/metrics"));
        assertFalse(secret.getMessage().contains("s3cr3t"), "the reason must not repeat the credential: " + secret.getMessage());
        assertThrows(IllegalArgumentException.class, () -> OutboundTarget.parse("file:///etc/passwd"));
        assertThrows(IllegalArgumentException.class, () -> OutboundTarget.parse("gopher://127.0.0.1:6379/_FLUSHALL"));
        assertThrows(IllegalArgumentException.class, () -> OutboundTarget.parse("http:///no-host"));
    }
}
