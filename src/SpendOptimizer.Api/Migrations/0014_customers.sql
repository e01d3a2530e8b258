-- Customer data for retention: customers (acquisition), their orders and their subscriptions, each row carrying the
-- load that brought it so a load can be removed whole. No foreign keys on the row tables, as for touchpoints: per-row
-- checks would slow binary COPY, and the API only writes under a checked workspace.
--
-- A customer absent from `customers` is not written there when its orders load: its acquisition (first order, that
-- order's channel or 'unknown') is derived at query time, so a later customers upload wins without rewriting anything.
create table customer_loads (
    id              uuid primary key,
    workspace_id    text not null references workspaces (id) on delete cascade,
    kind            text not null check (kind in ('customers', 'orders', 'subscriptions')),
    rows            bigint not null,
    idempotency_key text,
    loaded_at       timestamptz not null default now()
);
create unique index customer_loads_idempotency on customer_loads (workspace_id, kind, idempotency_key) where idempotency_key is not null;

create table customers (
    workspace_id        text not null,
    customer_id         text not null,
    acquired_at         timestamptz not null,
    acquisition_channel text not null,
    segment             text,
    plan                text,
    load_id             uuid not null,
    primary key (workspace_id, customer_id)
);
create index customers_load on customers (workspace_id, load_id);

create table orders (
    workspace_id        text not null,
    order_id            text,
    customer_id         text not null,
    ordered_at          timestamptz not null,
    revenue             double precision not null,
    gross_margin        double precision,
    cost                double precision,
    acquisition_channel text,
    load_id             uuid not null,
    seq                 bigint generated always as identity
);
create unique index orders_order_id on orders (workspace_id, order_id) where order_id is not null;
create index orders_customer on orders (workspace_id, customer_id, ordered_at);
create index orders_load on orders (workspace_id, load_id);

create table subscriptions (
    workspace_id        text not null,
    customer_id         text not null,
    started_at          timestamptz not null,
    ended_at            timestamptz,
    mrr                 double precision not null,
    acquisition_channel text not null,
    load_id             uuid not null,
    primary key (workspace_id, customer_id, started_at)
);
create index subscriptions_load on subscriptions (workspace_id, load_id);
