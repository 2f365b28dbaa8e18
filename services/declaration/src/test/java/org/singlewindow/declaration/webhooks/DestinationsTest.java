package org.singlewindow.declaration.webhooks;

import org.junit.jupiter.api.Test;

import java.util.List;

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
