-- Work sent with "Prefer: respond-async": the request as bound, replayed by whichever instance claims it. An instance holds
-- a running job by its lease, renewed while it works; a lease that runs out means the instance is gone, and the job is
-- claimed again (up to max attempts, counted in attempts). The clock is the database's, shared by every instance.
create table jobs (
    id                uuid primary key,
    workspace_id      text not null references workspaces (id) on delete cascade,
    kind              text not null,
    path              text not null,
    request           jsonb not null,
    state             text not null check (state in ('queued', 'running', 'succeeded', 'failed', 'cancelled')),
    attempts          int not null default 0,
    cancel_requested  boolean not null default false,
    lease_owner       text,
    lease_expires_at  timestamptz,
    progress_stage    text,
    progress_done     bigint,
    progress_total    bigint,
    progress_unit     text,
    result_location   text,
    error             jsonb,
    created_at        timestamptz not null,
    started_at        timestamptz,
    finished_at       timestamptz,
    updated_at        timestamptz not null
);
create index jobs_recent on jobs (workspace_id, created_at desc, id desc);
create index jobs_open on jobs (created_at) where state in ('queued', 'running');
