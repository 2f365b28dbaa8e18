package org.singlewindow.kit.messaging;

import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * A value kept with the current transaction: created on first use, handed to {@code beforeCommit}
 * (still inside the transaction, so what it writes commits with it) and to {@code afterCommit}, and
 * gone when the transaction ends, committed or not. The outbox gathers its rows this way, an agency
 * its sent receipts and a batch's prepared reads.
 */
public final class TransactionScoped<T> {

    private final Supplier<T> create;
    private final Consumer<T> beforeCommit;
    private final Consumer<T> afterCommit;

    public TransactionScoped(Supplier<T> create, Consumer<T> beforeCommit, Consumer<T> afterCommit) {
        this.create = create;
        this.beforeCommit = beforeCommit;
        this.afterCommit = afterCommit;
    }

    /** Only kept: nothing to do at commit. */
    public TransactionScoped(Supplier<T> create) {
        this(create, value -> {
        }, value -> {
        });
    }

    /**
     * This transaction's value, created on first use.
     *
     * @throws IllegalStateException outside a transaction
     */
    @SuppressWarnings("unchecked")
    public T current() {
        if (!TransactionSynchronizationManager.isActualTransactionActive()
                || !TransactionSynchronizationManager.isSynchronizationActive()) {
            throw new IllegalStateException("this must run inside a transaction");
        }
        T value = (T) TransactionSynchronizationManager.getResource(this);
        if (value == null) {
            T created = create.get();
            TransactionSynchronizationManager.bindResource(this, created);
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void beforeCommit(boolean readOnly) {
                    beforeCommit.accept(created);
                }

                @Override
                public void afterCommit() {
                    afterCommit.accept(created);
                }

                @Override
                public void afterCompletion(int status) {
                    TransactionSynchronizationManager.unbindResourceIfPossible(TransactionScoped.this);
                }
            });
            value = created;
        }
        return value;
    }

    /** This transaction's value if it has one (or there is no transaction): null. */
    @SuppressWarnings("unchecked")
    public T find() {
        return (T) TransactionSynchronizationManager.getResource(this);
    }
}
