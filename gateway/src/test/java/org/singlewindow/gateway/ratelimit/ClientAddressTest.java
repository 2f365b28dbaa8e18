package org.singlewindow.gateway.ratelimit;

import org.junit.jupiter.api.Test;
import org.springframework.http.HttpHeaders;

import static org.assertj.core.api.Assertions.assertThat;

class ClientAddressTest {

    private static final ClientAddress BEHIND_PROXIES = new ClientAddress("10\\..*|127\\.0\\.0\\.1");

    private static HttpHeaders headers(String name, String... values) {
        HttpHeaders headers = new HttpHeaders();
        for (String value : values) {
            headers.add(name, value);
        }
        return headers;
    }

    @Test
    void withoutTrustedProxiesTheClientIsThePeerWhateverItForwards() {
        assertThat(new ClientAddress("").of("203.0.113.7", headers("X-Forwarded-For", "198.51.100.1"))).isEqualTo("203.0.113.7");
        assertThat(new ClientAddress(null).of("203.0.113.7", headers("Forwarded", "for=198.51.100.1"))).isEqualTo("203.0.113.7");
    }

    @Test
    void aPeerThatIsNotATrustedProxyCannotNameAnotherAddress() {
        assertThat(BEHIND_PROXIES.of("203.0.113.7", headers("X-Forwarded-For", "198.51.100.1"))).isEqualTo("203.0.113.7");
    }

    @Test
    void behindTrustedProxiesTheClientIsTheNearestAddressThatIsNotOne() {
        assertThat(BEHIND_PROXIES.of("10.0.0.5", headers("X-Forwarded-For", "198.51.100.1"))).isEqualTo("198.51.100.1");
        // two proxies in a row, and an address the client wrote itself in front: the proxies' view wins
        assertThat(BEHIND_PROXIES.of("10.0.0.5", headers("X-Forwarded-For", "192.0.2.66, 198.51.100.1, 10.0.0.9")))
                .isEqualTo("198.51.100.1");
        assertThat(BEHIND_PROXIES.of("10.0.0.5", headers("X-Forwarded-For", "192.0.2.66", "198.51.100.1:4711")))
                .isEqualTo("198.51.100.1");
    }

    @Test
    void theStandardForwardedHeaderIsReadWhenThereIsNoXForwardedFor() {
        assertThat(BEHIND_PROXIES.of("127.0.0.1", headers("Forwarded", "for=192.0.2.66;proto=https, for=\"[2001:DB8::1]:4711\"")))
                .isEqualTo("2001:db8::1");
    }

    @Test
    void aTrustedProxyForwardingNothingOrOnlyProxiesIsTheFarthestAddressKnown() {
        assertThat(BEHIND_PROXIES.of("10.0.0.5", new HttpHeaders())).isEqualTo("10.0.0.5");
        assertThat(BEHIND_PROXIES.of("10.0.0.5", headers("X-Forwarded-For", "10.0.0.7, 10.0.0.9"))).isEqualTo("10.0.0.7");
    }

    @Test
    void aForwardedValueIsReducedToItsAddressAndBounded() {
        assertThat(ClientAddress.address(" 198.51.100.1:443 ")).isEqualTo("198.51.100.1");
        assertThat(ClientAddress.address("2001:db8::1")).isEqualTo("2001:db8::1");
        assertThat(ClientAddress.address("x".repeat(500))).hasSize(64);
    }
}
