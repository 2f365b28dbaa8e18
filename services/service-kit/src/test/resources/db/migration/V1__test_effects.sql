create table effect (
    id         bigserial primary key,
    message_id text not null,
    n          int  not null
);
