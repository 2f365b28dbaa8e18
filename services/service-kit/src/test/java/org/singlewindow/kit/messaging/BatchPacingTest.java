package org.singlewindow.kit.messaging;

import org.junit.jupiter.api.Test;
import org.singlewindow.kit.KitProperties;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.amqp.rabbit.listener.SimpleMessageListenerContainer;
import org.springframework.test.util.ReflectionTestUtils;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

class BatchPacingTest {

    private final KitProperties.Messaging settings = new KitProperties.Messaging(0, 0, 0, null, null, 0,
            Duration.ofMillis(2), Duration.ofMillis(20), Duration.ofMillis(10), Duration.ofMillis(40), null, null);
    private final SimpleMessageListenerContainer container = new SimpleMessageListenerContainer(new CachingConnectionFactory());

    private long receiveTimeout() {
        return (long) ReflectionTestUtils.getField(container, "receiveTimeout");
    }

    private long batchReceiveTimeout() {
        return (long) ReflectionTestUtils.getField(container, "batchReceiveTimeout");
    }

    @Test
    void aConsumerStartsQuickAndGathersLongerOnlyWhileMessagesWait() {
        BatchPacing pacing = new BatchPacing(container, settings);
        assertThat(pacing.busy()).isFalse();
        assertThat(receiveTimeout()).isEqualTo(2);
        assertThat(batchReceiveTimeout()).isEqualTo(20);

        pacing.observed(1);
        assertThat(pacing.busy()).isFalse();
        assertThat(receiveTimeout()).isEqualTo(2);

        pacing.observed(7);
        assertThat(pacing.busy()).isTrue();
        assertThat(receiveTimeout()).isEqualTo(10);
        assertThat(batchReceiveTimeout()).isEqualTo(40);

        pacing.observed(100);
        assertThat(pacing.busy()).isTrue();

        pacing.observed(1);
        assertThat(pacing.busy()).isFalse();
        assertThat(receiveTimeout()).isEqualTo(2);
        assertThat(batchReceiveTimeout()).isEqualTo(20);
    }
}
