-- Webhooks: an enterprise's subscriptions, and the deliveries owed to them.
--
-- The deliveries are the window's second outbox: a row is written in the same transaction as what it
-- reports (a receipt kept, a status changed), by the triggers below, so nothing a subscriber should hear
-- of is lost if the service dies after the commit, and no code path that keeps a receipt or changes a
-- status can forget to report it. The dispatcher (WebhookDispatcher) sends them apart from the
-- declaration flow, which never waits for an endpoint.

create table webhook_subscription (
    id                    uuid primary key,
    enterprise_id         text        not null,
    url                   text        not null,
    -- receipt, status, settlement, withdrawal, return, movement
    events                text[]      not null,
    -- JSON, or CEB_XML (receipts as ceb:CEB622Message)
    format                text        not null,
    -- Standard Webhooks secrets (whsec_ + base64 of 32 random bytes), sealed (ws:…, sw.webhooks.secret-key);
    -- after a rotation the previous one also signs until previous_secret_until
    secret                text        not null,
    previous_secret       text,
    previous_secret_until timestamptz,
    active                boolean     not null default true,
    idempotency_key       text,
    created_by            text        not null,
    created_at            timestamptz not null,
    updated_at            timestamptz not null
);
create index webhook_subscription_enterprise on webhook_subscription (enterprise_id) where active;
create unique index webhook_subscription_idempotency on webhook_subscription (enterprise_id, idempotency_key);

create table webhook_delivery (
    id              bigserial primary key,
    -- the webhook-id header: the same on every attempt and replay
    message_id      text        not null unique,
    subscription_id uuid        not null references webhook_subscription (id),
    declaration_id  uuid        not null,
    event_type      text        not null,
    payload         jsonb       not null,
    created_at      timestamptz not null default now(),
    -- PENDING (due at next_attempt_at; while an attempt runs, next_attempt_at is its lease), DELIVERED, FAILED
    state           text        not null default 'PENDING',
    -- attempts since the delivery was (re)queued: the position in the retry schedule
    tries           int         not null default 0,
    next_attempt_at timestamptz not null default now(),
    delivered_at    timestamptz,
    last_status     int,
    last_error      text
);
create index webhook_delivery_due on webhook_delivery (next_attempt_at) where state = 'PENDING';
create index webhook_delivery_log on webhook_delivery (subscription_id, created_at desc);

create table webhook_attempt (
    id          bigserial primary key,
    delivery_id bigint      not null references webhook_delivery (id) on delete cascade,
    at          timestamptz not null,
    status_code int,
    latency_ms  int         not null,
    error       text
);
create index webhook_attempt_delivery on webhook_attempt (delivery_id, id);

-- A receipt's event: ACKNOWLEDGEMENT and DECISION are "receipt"; the other kinds their own name.
create function webhook_event_of(kind text) returns text language sql immutable as $$
    select case kind when 'ACKNOWLEDGEMENT' then 'receipt' when 'DECISION' then 'receipt' else lower(kind) end
$$;

-- One statement per batch of receipts (the window keeps a batch's receipts with one insert).
create function webhook_receipts() returns trigger language plpgsql as $$
begin
    if not exists (select 1 from webhook_subscription where active) then
        return null;
    end if;
    insert into webhook_delivery (message_id, subscription_id, declaration_id, event_type, payload)
    select 'msg_' || replace(gen_random_uuid()::text, '-', ''), s.id, d.id, 'declaration.' || webhook_event_of(r.kind),
           jsonb_build_object('type', 'declaration.' || webhook_event_of(r.kind), 'timestamp', r.received_at,
               'data', jsonb_build_object('declarationId', d.id, 'guid', d.guid, 'ebpCode', d.ebp_code,
                   'orderNo', d.order_no, 'ebcCode', d.body #>> '{order,ebcCode}', 'agentCode', d.body #>> '{declarant,agentCode}',
                   'customsCode', d.body #>> '{declarant,customsCode}', 'receipt', jsonb_build_object('receiptId', r.receipt_id, 'agency', r.agency,
                       'kind', r.kind, 'status', r.status, 'statusCode', r.status_code, 'reasonCode', r.reason_code,
                       'message', r.message, 'decidedAt', r.decided_at, 'version', r.version, 'payload', r.payload)))
    from added r
    join declaration d on d.id = r.declaration_id
    join webhook_subscription s on s.enterprise_id = d.enterprise_id and s.active
         and webhook_event_of(r.kind) = any(s.events)
    order by r.received_at, r.receipt_id;
    return null;
end
$$;
create trigger webhook_receipts after insert on receipt
    referencing new table as added for each statement execute function webhook_receipts();

-- A status change, whoever made it (intake, consolidation, cancellation, amendment, withdrawal).
create function webhook_status() returns trigger language plpgsql as $$
begin
    insert into webhook_delivery (message_id, subscription_id, declaration_id, event_type, payload)
    select 'msg_' || replace(gen_random_uuid()::text, '-', ''), s.id, new.id, 'declaration.status',
           jsonb_build_object('type', 'declaration.status', 'timestamp', new.updated_at,
               'data', jsonb_build_object('declarationId', new.id, 'guid', new.guid, 'ebpCode', new.ebp_code,
                   'orderNo', new.order_no, 'status', new.status,
                   'previousStatus', case when tg_op = 'UPDATE' then old.status end))
    from webhook_subscription s
    where s.enterprise_id = new.enterprise_id and s.active and 'status' = any(s.events);
    return null;
end
$$;
create trigger webhook_status_submitted after insert on declaration
    for each row execute function webhook_status();
create trigger webhook_status_changed after update of status on declaration
    for each row when (old.status is distinct from new.status) execute function webhook_status();
