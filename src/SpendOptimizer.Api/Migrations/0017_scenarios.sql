-- A comparison of variants is stored whole, as one row: the request as read and the answer as sent. Its variants are not
-- recommendations and appear in no list of them.
create table scenarios (
    id            uuid primary key,
    workspace_id  text not null references workspaces (id) on delete cascade,
    created_at    timestamptz not null,
    request       jsonb not null,
    answer        jsonb not null
);
create index scenarios_recent on scenarios (workspace_id, created_at desc, id desc);
