-- A path is stored whole, as one row, only when the solver found one: the request as read and the answer as sent.
-- Infeasible requests are answered, not stored.
create table plans (
    id            uuid primary key,
    workspace_id  text not null references workspaces (id) on delete cascade,
    created_at    timestamptz not null,
    request       jsonb not null,
    answer        jsonb not null
);
create index plans_recent on plans (workspace_id, created_at desc, id desc);
