create table effect (
    id         bigserial primary key,
    message_id text not null,
    n          int  not null,
    -- the trace id the handler ran under (from the log context), to check the trace crossed the broker
    trace_id   text
);
