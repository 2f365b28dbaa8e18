package org.singlewindow.kit.web;

import org.junit.jupiter.api.Test;
import org.springframework.util.unit.DataSize;

import java.nio.charset.StandardCharsets;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class RequestBodyGuardTest {

    private static byte[] json(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void controlCharactersAreFoundWithTheirField() {
        assertThat(RequestBodyGuard.controlCharacterAt(json("{\"a\": \"fine\\ttext\\nhere\", \"b\": [1, \"x\"]}"))).isEmpty();
        assertThat(RequestBodyGuard.controlCharacterAt(json("{\"order\": {\"orderNo\": \"A\\u0000B\"}}"))).hasValue("/order/orderNo");
        assertThat(RequestBodyGuard.controlCharacterAt(json("{\"items\": [{\"name\": \"ok\"}, {\"name\": \"\\u001b[31m\"}]}")))
                .hasValue("/items/1/name");
        assertThat(RequestBodyGuard.controlCharacterAt(json("{\"k\\u0007\": 1}"))).isPresent();
        assertThat(RequestBodyGuard.controlCharacterAt(json("{\"del\": \"\\u007f\"}"))).hasValue("/del");
        // not JSON: left to the handler, which says what is wrong with it
        assertThat(RequestBodyGuard.controlCharacterAt(json("{\"a\": "))).isEmpty();
    }

    @Test
    void theLimitOfAPathIsItsPatternsOrTheDefault() {
        RequestBodyGuard guard = new RequestBodyGuard(DataSize.ofMegabytes(1),
                Map.of("/api/v1/tax/quotes", DataSize.ofKilobytes(64), "/api/v1/declarations/*/cancellation", DataSize.ofKilobytes(16)));
        assertThat(guard.limitFor("/api/v1/tax/quotes")).isEqualTo(65_536);
        assertThat(guard.limitFor("/api/v1/declarations/abc/cancellation")).isEqualTo(16_384);
        assertThat(guard.limitFor("/api/v1/declarations")).isEqualTo(1_048_576);
    }
}
