package org.singlewindow.declaration.webhooks;

import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Where a webhook may go (the guard against server-side request forgery): an absolute {@code https} URL
 * ({@code http} in the sandbox only) without user information, whose host resolves only to public
 * addresses — never loopback, private, link-local (cloud metadata), carrier-grade NAT, multicast or
 * reserved ones — unless the address is in {@code sw.webhooks.allowed-networks}. Checked when a
 * subscription is made and again before every attempt (a name may resolve elsewhere later); redirects
 * are never followed.
 */
final class Destinations {

    private static final List<Network> NOT_PUBLIC = Network.parse(List.of("0.0.0.0/8", "10.0.0.0/8", "100.64.0.0/10",
            "127.0.0.0/8", "169.254.0.0/16", "172.16.0.0/12", "192.0.0.0/24", "192.0.2.0/24", "192.168.0.0/16",
            "198.18.0.0/15", "198.51.100.0/24", "203.0.113.0/24", "224.0.0.0/3", "::/128", "::1/128", "fc00::/7",
            "fe80::/10", "ff00::/8", "2001:db8::/32"));

    private final boolean sandbox;
    private final List<Network> allowed;

    Destinations(boolean sandbox, List<String> allowedNetworks) {
        this.sandbox = sandbox;
        this.allowed = Network.parse(allowedNetworks);
    }

    /** Why this URL may not be a destination, or empty if it may; resolves its host. */
    Optional<String> refusal(String url) {
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            return Optional.of("is not a URL: " + e.getReason());
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("https") && !(sandbox && scheme.equals("http"))) {
            return Optional.of(sandbox ? "must be an http or https URL" : "must be an https URL");
        }
        if (uri.getHost() == null || uri.getRawUserInfo() != null || uri.getRawFragment() != null) {
            return Optional.of("must name a host, without user information or fragment");
        }
        InetAddress[] addresses;
        try {
            addresses = InetAddress.getAllByName(uri.getHost());
        } catch (UnknownHostException e) {
            return Optional.of("names a host that does not resolve: " + uri.getHost());
        }
        for (InetAddress address : addresses) {
            if (NOT_PUBLIC.stream().anyMatch(n -> n.contains(address)) && allowed.stream().noneMatch(n -> n.contains(address))) {
                return Optional.of("resolves to " + address.getHostAddress()
                        + ", a loopback, private, link-local or reserved address, which webhooks may not reach");
            }
        }
        return Optional.empty();
    }

    /** An address block in CIDR notation. */
    record Network(byte[] base, int prefix) {

        static List<Network> parse(List<String> cidrs) {
            return cidrs.stream().map(Network::of).toList();
        }

        static Network of(String cidr) {
            int slash = cidr.indexOf('/');
            try {
                byte[] base = InetAddress.getByName(slash < 0 ? cidr : cidr.substring(0, slash)).getAddress();
                int prefix = slash < 0 ? base.length * 8 : Integer.parseInt(cidr.substring(slash + 1));
                if (prefix < 0 || prefix > base.length * 8) {
                    throw new IllegalArgumentException("bad prefix length in " + cidr);
                }
                return new Network(base, prefix);
            } catch (UnknownHostException | NumberFormatException e) {
                throw new IllegalArgumentException("not a network in CIDR notation: " + cidr, e);
            }
        }

        boolean contains(InetAddress address) {
            byte[] a = address.getAddress();
            if (a.length == 16 && base.length == 4 && isV4Mapped(a)) {
                a = java.util.Arrays.copyOfRange(a, 12, 16);
            }
            if (a.length != base.length) {
                return false;
            }
            for (int bit = 0; bit < prefix; bit++) {
                int mask = 0x80 >>> (bit % 8);
                if ((a[bit / 8] & mask) != (base[bit / 8] & mask)) {
                    return false;
                }
            }
            return true;
        }

        private static boolean isV4Mapped(byte[] a) {
            for (int i = 0; i < 10; i++) {
                if (a[i] != 0) {
                    return false;
                }
            }
            return a[10] == (byte) 0xff && a[11] == (byte) 0xff;
        }
    }
}
