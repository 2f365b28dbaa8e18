-- Batch-native kit. Outbox headers are columns (the relay no longer parses jsonb per row); a row the
-- broker refused or returned records its attempts and last error, waits before its next try, and is
-- parked after a bounded number of tries instead of stalling the rows behind it.
alter table outbox
    add column occurred_at     timestamptz,
    add column traceparent     text,
    add column tracestate      text,
    add column next_attempt_at timestamptz,
    add column parked_at       timestamptz;
update outbox set occurred_at = coalesce((headers ->> 'sw-occurred-at')::timestamptz, created_at),
                  traceparent = headers ->> 'traceparent',
                  tracestate  = headers ->> 'tracestate';
alter table outbox alter column occurred_at set not null, alter column occurred_at set default now();
alter table outbox drop column headers;
create index outbox_parked on outbox (parked_at) where parked_at is not null;

-- Outbox and inbox churn: every row is deleted (outbox) or pruned (inbox) soon after it is written;
-- vacuum them early so dead rows never pile up under load.
alter table outbox set (autovacuum_vacuum_scale_factor = 0.0, autovacuum_vacuum_threshold = 5000,
                        autovacuum_vacuum_insert_threshold = 5000);
alter table inbox set (autovacuum_vacuum_scale_factor = 0.05, autovacuum_analyze_scale_factor = 0.05);
create index inbox_received on inbox (received_at);
