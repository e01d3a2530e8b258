-- One weekly schedule per workspace. A run claims its schedule row with FOR UPDATE SKIP LOCKED and commits the
-- recommendation, the run record and the next due time in that one transaction: a second instance skips the locked
-- row, and an instance that dies mid-run rolls back, leaving the run owed to whoever polls next.
create table schedules (
    workspace_id  text primary key references workspaces (id) on delete cascade,
    cron          text not null,
    time_zone     text not null,
    enabled       boolean not null,
    refit_curves  boolean not null,
    request       jsonb not null,
    next_due_at   timestamptz not null,
    updated_at    timestamptz not null
);
create index schedules_due on schedules (next_due_at) where enabled;

-- The primary key is a second guard: one run per due time, whatever happens.
create table schedule_runs (
    workspace_id      text not null references workspaces (id) on delete cascade,
    due_at            timestamptz not null,
    started_at        timestamptz not null,
    finished_at       timestamptz not null,
    status            text not null check (status in ('succeeded', 'failed')),
    recommendation_id uuid references recommendations (id) on delete set null,
    missed            integer not null,
    detail            text,
    primary key (workspace_id, due_at)
);
