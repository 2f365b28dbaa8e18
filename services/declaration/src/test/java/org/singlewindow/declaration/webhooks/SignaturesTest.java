package org.singlewindow.declaration.webhooks;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

import static org.assertj.core.api.Assertions.assertThat;

class SignaturesTest {

    @Test
    void reproducesTheStandardWebhooksSpecificationsTestVector() {
        assertThat(Signatures.sign("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", "msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330,
                "{\"test\": 2432232314}".getBytes(StandardCharsets.UTF_8)))
                .isEqualTo("v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=");
    }

    @Test
    void aNewSecretIsThirtyTwoRandomBytesInTheStandardFormat() {
        String one = Signatures.newSecret();
        assertThat(one).startsWith("whsec_");
        assertThat(Base64.getDecoder().decode(one.substring(6))).hasSize(32);
        assertThat(Signatures.newSecret()).isNotEqualTo(one);
    }

    @Test
    void theSignatureCoversTheIdTheTimestampAndTheBody() {
        String secret = Signatures.newSecret();
        byte[] body = "{\"a\":1}".getBytes(StandardCharsets.UTF_8);
        String signature = Signatures.sign(secret, "msg_1", 100, body);
        assertThat(Signatures.sign(secret, "msg_2", 100, body)).isNotEqualTo(signature);
        assertThat(Signatures.sign(secret, "msg_1", 101, body)).isNotEqualTo(signature);
        assertThat(Signatures.sign(secret, "msg_1", 100, "{\"a\":2}".getBytes(StandardCharsets.UTF_8))).isNotEqualTo(signature);
        assertThat(Signatures.sign(Signatures.newSecret(), "msg_1", 100, body)).isNotEqualTo(signature);
    }
}
