-- Each party its own (issue 27; GACC 2018 No.194 item 8): where sw.ceb.strict is on, a bonded import's (1210) JSON
-- single submission by a declaring agent waits, status AWAITING_PARTIES, until the payment firm and the logistics
-- firm have each confirmed their own part — as JSON or as their own CEB411/CEB511 — and only then goes to the
-- agencies. A confirmation may come before the declaration: it is kept until one comes (or for
-- sw.retention.ceb-waiting). What is kept is the firm's own transaction, amounts and keys; no person's data.
create table party_confirmation (
    role        text        not null check (role in ('PAYMENT', 'WAYBILL')),
    party_code  text        not null,           -- the firm that sent it: payCode or logisticsCode, the caller
    order_no    text        not null,
    document_no text        not null,           -- its own number: payTransactionId, or logisticsNo
    ebp_code    text,                           -- the platform, when it names it (a payment does, a waybill does not)
    body        jsonb       not null,           -- the fields it confirms, as the contract names them
    via         text        not null,           -- JSON, CEB411 or CEB511
    received_at timestamptz not null,
    primary key (role, party_code, order_no, document_no)
);
create index party_confirmation_received on party_confirmation (received_at);

-- what a declaration AWAITING_PARTIES still waits for: PAYMENT, WAYBILL
alter table declaration add column awaiting_parties text[];
create index declaration_awaiting_parties on declaration (order_no) where status = 'AWAITING_PARTIES';
