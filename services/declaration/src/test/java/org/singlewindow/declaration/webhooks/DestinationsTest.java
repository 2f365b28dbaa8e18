package org.singlewindow.declaration.webhooks;

import org.junit.jupiter.api.Test;

import com.sun.net.httpserver.HttpServer;
import org.apache.hc.client5.http.classic.methods.HttpPost;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DestinationsTest {

    private final Destinations production = new Destinations(false, List.of());

    @Test
    void outsideTheSandboxOnlyHttpsToPublicAddresses() {
        assertThat(production.refusal("https://203.0.114.7/hooks")).isEmpty();
        assertThat(production.refusal("http://203.0.114.7/hooks")).contains("must be an https URL");
        assertThat(production.refusal("ftp://203.0.114.7/hooks")).contains("must be an https URL");
        assertThat(production.refusal("https:///no-host")).hasValueSatisfying(why -> assertThat(why).contains("must name a host"));
        assertThat(production.refusal("https://user:pw@203.0.114.7/")).hasValueSatisfying(why -> assertThat(why).contains("user information"));
        assertThat(production.refusal("not a url at all")).hasValueSatisfying(why -> assertThat(why).startsWith("is not a URL"));
    }

    @Test
    void loopbackPrivateLinkLocalAndReservedAddressesAreRefused() {
        for (String host : List.of("127.0.0.1", "localhost", "10.1.2.3", "172.16.0.9", "192.168.1.1", "169.254.169.254",
                "100.64.0.1", "0.0.0.0", "224.0.0.1", "[::1]", "[fd00::1]", "[fe80::1]", "[::ffff:127.0.0.1]")) {
            assertThat(production.refusal("https://" + host + "/hook")).as(host)
                    .hasValueSatisfying(why -> assertThat(why).contains("which webhooks may not reach"));
        }
    }

    @Test
    void anIpv4AddressInsideIpv6IsJudgedAsIpv4AndSpecialPurposeIpv6BlocksAreRefused() {
        for (String host : List.of(
                "[64:ff9b::a9fe:a9fe]", "[64:ff9b::7f00:1]", "[64:ff9b::a00:1]",   // NAT64 of metadata, loopback, private
                "[64:ff9b:1::1]",                                                  // local-use NAT64
                "[::a9fe:a9fe]", "[::127.0.0.1]",                                  // IPv4-compatible
                "[::ffff:169.254.169.254]",                                        // IPv4-mapped
                "[2002:a9fe:a9fe::1]", "[2001:0:4136:e378:8000:63bf:3fff:fdd2]",   // 6to4, Teredo
                "[fec0::1]", "[100::1]", "[2001:2::1]", "[3fff::1]", "[5f00::1]", "[::]")) {
            assertThat(production.refusal("https://" + host + "/hook")).as(host)
                    .hasValueSatisfying(why -> assertThat(why).contains("which webhooks may not reach"));
        }
        // a public IPv4 through the well-known NAT64 prefix, and public IPv6, may be reached
        assertThat(production.refusal("https://[64:ff9b::808:808]/hook")).isEmpty();
        assertThat(production.refusal("https://[2606:4700::1111]/hook")).isEmpty();
    }

    @Test
    void aNameIsRefusedIfAnyOfItsAddressesIsNotPublic() throws Exception {
        Destinations.NameService twoFaced = host -> new InetAddress[] {InetAddress.getByName("8.8.8.8"),
                InetAddress.getByName("169.254.169.254")};
        assertThat(new Destinations(false, List.of(), twoFaced).refusal("https://hooks.example.com/x"))
                .hasValueSatisfying(why -> assertThat(why).contains("169.254.169.254"));
    }

    @Test
    void theDeliveryConnectsToTheAddressCheckedInTheSameResolutionAndSendsTheHostName() throws Exception {
        // the name answers a checked (allowed) address once, then a forbidden one: the connection uses the first,
        // no second lookup happens for it, and the receiver sees the URL's host name
        AtomicInteger lookups = new AtomicInteger();
        Destinations.NameService rebinding = host -> new InetAddress[] {InetAddress.getByName(
                lookups.getAndIncrement() == 0 ? "127.0.0.1" : "169.254.169.254")};
        Destinations destinations = new Destinations(true, List.of("127.0.0.0/8"), rebinding);
        HttpServer receiver = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        List<String> hosts = new CopyOnWriteArrayList<>();
        receiver.createContext("/hook", exchange -> {
            hosts.add(exchange.getRequestHeaders().getFirst("Host"));
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        receiver.start();
        try (CloseableHttpClient client = WebhookDispatcher.client(new WebhookSettings(null, null, null, 0, 0, null, null, null, null, null),
                destinations)) {
            String url = "http://hooks.example.com:" + receiver.getAddress().getPort() + "/hook";
            int status = client.execute(new HttpPost(url), response -> response.getCode());
            assertThat(status).isEqualTo(204);
            assertThat(hosts).containsExactly("hooks.example.com:" + receiver.getAddress().getPort());
            assertThat(lookups).hasValue(1);
            // a new connection resolves again, and the forbidden answer is refused before anything is sent
            client.close(org.apache.hc.core5.io.CloseMode.IMMEDIATE);
        } finally {
            receiver.stop(0);
        }
        try (CloseableHttpClient fresh = WebhookDispatcher.client(new WebhookSettings(null, null, null, 0, 0, null, null, null, null, null),
                destinations)) {
            assertThatThrownBy(() -> fresh.execute(new HttpPost("http://hooks.example.com:9/hook"), response -> response.getCode()))
                    .isInstanceOf(Destinations.RefusedDestination.class).hasMessageContaining("169.254.169.254");
        }
    }

    @Test
    void theSandboxAllowsHttpAndTheNetworksItIsGiven() {
        Destinations sandbox = new Destinations(true, List.of("127.0.0.0/8", "::1/128"));
        assertThat(sandbox.refusal("http://127.0.0.1:8099/hook")).isEmpty();
        assertThat(sandbox.refusal("http://[::1]:8099/hook")).isEmpty();
        assertThat(sandbox.refusal("http://169.254.169.254/latest/meta-data")).isPresent();
        assertThat(sandbox.refusal("http://10.0.0.1/hook")).isPresent();
    }

    @Test
    void anAllowedNetworkMustBeWrittenInCidrNotation() {
        assertThatThrownBy(() -> new Destinations(false, List.of("10.0.0.0/33"))).hasMessageContaining("10.0.0.0/33");
        assertThatThrownBy(() -> new Destinations(false, List.of("10.0.0.0/x"))).hasMessageContaining("CIDR");
    }
}
