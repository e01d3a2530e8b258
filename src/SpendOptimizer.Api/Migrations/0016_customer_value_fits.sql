-- A customer-value fit is stored whole, as one row: the request as read and the answer as sent. It is read only whole.
-- The answer is json, not jsonb, so parameters keep their published order (r, alpha, a, b …) when read back.
create table customer_value_fits (
    id            uuid primary key,
    workspace_id  text not null references workspaces (id) on delete cascade,
    created_at    timestamptz not null,
    model         text not null,
    request       jsonb not null,
    answer        json not null
);
create index customer_value_fits_recent on customer_value_fits (workspace_id, created_at desc, id desc);

-- A channel's CLV may come from a customer-value fit (a given one, or the newest at planning time) instead of typed economics.
alter table unit_economics
    add column clv_source text not null default 'typed' check (clv_source in ('typed', 'fitted')),
    add column clv_fit_id uuid;
