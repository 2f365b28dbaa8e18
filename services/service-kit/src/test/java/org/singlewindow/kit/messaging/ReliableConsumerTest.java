package org.singlewindow.kit.messaging;

import org.junit.jupiter.api.Test;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.jdbc.CannotGetJdbcConnectionException;
import org.springframework.transaction.CannotCreateTransactionException;

import java.sql.SQLException;

import static org.assertj.core.api.Assertions.assertThat;

class ReliableConsumerTest {

    @Test
    void anUnreachableDatabaseIsAnInfrastructureFailureNotAPoisonMessage() {
        assertThat(ReliableConsumer.isInfrastructureFailure(new CannotGetJdbcConnectionException("down"))).isTrue();
        assertThat(ReliableConsumer.isInfrastructureFailure(new CannotCreateTransactionException("down"))).isTrue();
        assertThat(ReliableConsumer.isInfrastructureFailure(
                new RuntimeException(new SQLException("connection refused", "08001")))).isTrue();
        assertThat(ReliableConsumer.isInfrastructureFailure(
                new RuntimeException(new SQLException("deadlock", "40P01")))).isTrue();
    }

    @Test
    void aBrokenMessageOrAConstraintViolationIsTheMessagesFault() {
        assertThat(ReliableConsumer.isInfrastructureFailure(new NonRetryableMessageException("bad body"))).isFalse();
        assertThat(ReliableConsumer.isInfrastructureFailure(new DataIntegrityViolationException("duplicate"))).isFalse();
        assertThat(ReliableConsumer.isInfrastructureFailure(new IllegalStateException("bug"))).isFalse();
    }
}
