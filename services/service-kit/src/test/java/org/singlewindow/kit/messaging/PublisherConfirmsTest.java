package org.singlewindow.kit.messaging;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.ConfirmListener;
import com.rabbitmq.client.ReturnListener;
import org.junit.jupiter.api.Test;
import org.springframework.amqp.AmqpIOException;
import org.springframework.amqp.AmqpTimeoutException;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyBoolean;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.Mockito.doAnswer;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

/** Each message is settled by its own confirm, whatever the channel saw for anyone else's. */
class PublisherConfirmsTest {

    /** A channel in confirm mode whose broker answers each publish as the test says, synchronously. */
    private static final class FakeBroker {
        final Channel channel = mock(Channel.class);
        final List<ConfirmListener> confirmListeners = new ArrayList<>();
        final List<ReturnListener> returnListeners = new ArrayList<>();
        final AtomicLong nextSeq = new AtomicLong(1);
        final List<String> answers = new ArrayList<>();

        FakeBroker(String... answers) throws Exception {
            this.answers.addAll(List.of(answers));
            doAnswer(i -> confirmListeners.add(i.getArgument(0))).when(channel).addConfirmListener(any(ConfirmListener.class));
            doAnswer(i -> confirmListeners.remove(i.<ConfirmListener>getArgument(0))).when(channel).removeConfirmListener(any());
            doAnswer(i -> returnListeners.add(i.getArgument(0))).when(channel).addReturnListener(any(ReturnListener.class));
            doAnswer(i -> returnListeners.remove(i.<ReturnListener>getArgument(0))).when(channel).removeReturnListener(any());
            when(channel.getNextPublishSeqNo()).thenAnswer(i -> nextSeq.get());
            doAnswer(i -> {
                long seq = nextSeq.getAndIncrement();
                String answer = this.answers.removeFirst();
                AMQP.BasicProperties props = i.getArgument(3);
                if (answer.equals("return")) {
                    for (ReturnListener l : List.copyOf(returnListeners)) {
                        l.handleReturn(312, "NO_ROUTE", i.getArgument(0), i.getArgument(1), props, i.getArgument(4));
                    }
                }
                for (ConfirmListener l : List.copyOf(confirmListeners)) {
                    if (answer.equals("nack")) {
                        l.handleNack(seq, false);
                    } else if (!answer.equals("silence")) {
                        l.handleAck(seq, false);
                    }
                }
                return null;
            }).when(channel).basicPublish(anyString(), anyString(), anyBoolean(), any(AMQP.BasicProperties.class), any(byte[].class));
        }
    }

    private static PublisherConfirms.Publication message(String id) {
        return new PublisherConfirms.Publication("sw.dead-letter", "q", new AMQP.BasicProperties.Builder().messageId(id).build(), new byte[0]);
    }

    @Test
    void aNegativeConfirmForAnEarlierPublishOnTheChannelDoesNotCountAgainstTheNextOne() throws Exception {
        FakeBroker broker = new FakeBroker("nack", "ack");
        assertThat(PublisherConfirms.publish(broker.channel, List.of(message("relay-row")), 1_000)).containsOnlyKeys(0);

        // the next user of the (cached) channel: its own message was taken
        PublisherConfirms.publishOne(broker.channel, message("dead-letter"), 1_000);
        assertThat(broker.confirmListeners).isEmpty();
        assertThat(broker.returnListeners).isEmpty();
    }

    @Test
    void refusedAndReturnedMessagesAreNamedByPositionAndTheOthersPass() throws Exception {
        FakeBroker broker = new FakeBroker("ack", "nack", "return", "ack");
        var refused = PublisherConfirms.publish(broker.channel, List.of(message("a"), message("b"), message("c"), message("d")), 1_000);
        assertThat(refused).containsOnlyKeys(1, 2);
        assertThat(refused.get(1)).contains("refused by the broker");
        assertThat(refused.get(2)).contains("returned by the broker: 312 NO_ROUTE");

        assertThatThrownBy(() -> PublisherConfirms.publishOne(new FakeBroker("return").channel, message("e"), 1_000))
                .isInstanceOf(AmqpIOException.class).hasMessageContaining("312 NO_ROUTE").hasMessageContaining("message e");
    }

    @Test
    void aMissingConfirmIsATimeout() throws Exception {
        FakeBroker broker = new FakeBroker("ack", "silence");
        assertThatThrownBy(() -> PublisherConfirms.publish(broker.channel, List.of(message("a"), message("b")), 50))
                .isInstanceOf(AmqpTimeoutException.class).hasMessageContaining("1 of 2 messages not confirmed");
    }
}
