package org.singlewindow.declaration.webhooks;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Where a webhook may go (the guard against server-side request forgery): an absolute {@code https} URL
 * ({@code http} in the sandbox only) without user information, whose host resolves only to public
 * addresses — never loopback, private, link-local (cloud metadata), carrier-grade NAT, multicast, documentation
 * or any other special-purpose block of IANA's registries, IPv4 or IPv6 — unless the address is in
 * {@code sw.webhooks.allowed-networks}. An IPv4 address carried inside IPv6 is judged as IPv4: IPv4-mapped
 * addresses and the well-known NAT64 prefix {@code 64:ff9b::/96}; the other forms that embed one (IPv4-compatible
 * {@code ::/96}, local-use NAT64 {@code 64:ff9b:1::/48}, 6to4 {@code 2002::/16}, Teredo within {@code 2001::/23})
 * are special-purpose blocks and refused whole.
 *
 * <p>Checked when a subscription is made, and at every attempt by {@link #resolve}, which the dispatcher's HTTP
 * client uses as its name resolver: the connection goes to an address that was checked in the same resolution
 * (no second lookup a rebinding name could answer differently), while the URL's host name is still what TLS
 * (SNI, certificate) and the {@code Host} header see. Redirects are never followed.
 */
final class Destinations {

    /** Names to addresses; the system's resolver outside tests. */
    interface NameService {
        InetAddress[] lookup(String host) throws UnknownHostException;
    }

    /** A host whose addresses webhooks may not reach: the attempt is not made. */
    static final class RefusedDestination extends UnknownHostException {
        RefusedDestination(String message) {
            super(message);
        }
    }

    private static final List<Network> NOT_PUBLIC_V4 = Network.parse(List.of("0.0.0.0/8", "10.0.0.0/8", "100.64.0.0/10",
            "127.0.0.0/8", "169.254.0.0/16", "172.16.0.0/12", "192.0.0.0/24", "192.0.2.0/24", "192.31.196.0/24",
            "192.52.193.0/24", "192.88.99.0/24", "192.168.0.0/16", "192.175.48.0/24", "198.18.0.0/15", "198.51.100.0/24",
            "203.0.113.0/24", "224.0.0.0/3"));
    /** IANA's IPv6 special-purpose blocks, and what is not global unicast at all. */
    private static final List<Network> NOT_PUBLIC_V6 = Network.parse(List.of("::/96", "64:ff9b:1::/48",
            "100::/64", "2001::/23", "2001:db8::/32", "2002::/16", "2620:4f:8000::/48", "3fff::/20", "5f00::/16",
            "fc00::/7", "fe80::/10", "fec0::/10", "ff00::/8"));
    private static final Network NAT64 = Network.of("64:ff9b::/96");

    private final boolean sandbox;
    private final List<Network> allowed;
    private final NameService names;

    Destinations(boolean sandbox, List<String> allowedNetworks) {
        this(sandbox, allowedNetworks, InetAddress::getAllByName);
    }

    Destinations(boolean sandbox, List<String> allowedNetworks, NameService names) {
        this.sandbox = sandbox;
        this.allowed = Network.parse(allowedNetworks);
        this.names = names;
    }

    /** Why this URL may not be a destination, or empty if it may; resolves its host. */
    Optional<String> refusal(String url) {
        Optional<String> malformed = malformed(url);
        if (malformed.isPresent()) {
            return malformed;
        }
        String host = URI.create(url).getHost();
        try {
            resolve(host);
            return Optional.empty();
        } catch (RefusedDestination e) {
            return Optional.of(e.getMessage());
        } catch (UnknownHostException e) {
            return Optional.of("names a host that does not resolve: " + host);
        }
    }

    /** Why this URL may not be a destination, as far as can be told without resolving it; empty if nothing. */
    Optional<String> malformed(String url) {
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
        return Optional.empty();
    }

    /**
     * The host's addresses, each one checked, in one resolution: what a connection may be made to. Refused
     * ({@link RefusedDestination}) if any of them is not public and not allowed.
     */
    InetAddress[] resolve(String host) throws UnknownHostException {
        String literal = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        InetAddress[] addresses = names.lookup(literal);
        for (InetAddress address : addresses) {
            if (!isPublic(address) && allowed.stream().noneMatch(n -> n.contains(address))) {
                throw new RefusedDestination("resolves to " + address.getHostAddress()
                        + ", a loopback, private, link-local or reserved address, which webhooks may not reach");
            }
        }
        return addresses;
    }

    /** Whether an address is public: not in a special-purpose block, an IPv4 inside IPv6 judged as IPv4. */
    static boolean isPublic(InetAddress address) {
        byte[] bytes = address.getAddress();
        if (address instanceof Inet6Address && NAT64.contains(bytes)) {
            return isPublicV4(Arrays.copyOfRange(bytes, 12, 16));
        }
        if (bytes.length == 16 && Network.isV4Mapped(bytes)) {
            return isPublicV4(Arrays.copyOfRange(bytes, 12, 16));
        }
        if (bytes.length == 4) {
            return isPublicV4(bytes);
        }
        return NOT_PUBLIC_V6.stream().noneMatch(n -> n.contains(bytes));
    }

    private static boolean isPublicV4(byte[] bytes) {
        return NOT_PUBLIC_V4.stream().noneMatch(n -> n.contains(bytes));
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
                if (cidr.substring(0, slash < 0 ? cidr.length() : slash).contains(":") && base.length == 4) {
                    // InetAddress turns ::ffff:a.b.c.d into IPv4; a block written in IPv6 stays IPv6
                    base = v4Mapped(base);
                }
                if (prefix < 0 || prefix > base.length * 8) {
                    throw new IllegalArgumentException("bad prefix length in " + cidr);
                }
                return new Network(base, prefix);
            } catch (UnknownHostException | NumberFormatException e) {
                throw new IllegalArgumentException("not a network in CIDR notation: " + cidr, e);
            }
        }

        boolean contains(InetAddress address) {
            return contains(address.getAddress());
        }

        boolean contains(byte[] address) {
            byte[] a = address;
            if (a.length == 16 && base.length == 4 && isV4Mapped(a)) {
                a = Arrays.copyOfRange(a, 12, 16);
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

        static boolean isV4Mapped(byte[] a) {
            for (int i = 0; i < 10; i++) {
                if (a[i] != 0) {
                    return false;
                }
            }
            return a[10] == (byte) 0xff && a[11] == (byte) 0xff;
        }

        private static byte[] v4Mapped(byte[] v4) {
            byte[] v6 = new byte[16];
            v6[10] = (byte) 0xff;
            v6[11] = (byte) 0xff;
            System.arraycopy(v4, 0, v6, 12, 4);
            return v6;
        }
    }
}
