-- Every attribution run is kept with what it was asked (model, parameters, source, window), so a dashboard
-- can read history and compare runs.
create table attribution_runs (
    id                 uuid primary key,
    workspace_id       text not null references workspaces (id) on delete cascade,
    model              text not null,
    parameters         jsonb not null,
    source             text not null check (source in ('touchpoints', 'paths')),
    window_from        date,
    window_to          date,
    journeys           double precision not null,
    distinct_paths     integer not null,
    total_conversions  double precision not null,
    total_value        double precision not null,
    diagnostics        jsonb not null,
    created_at         timestamptz not null default now()
);
create index attribution_runs_recent on attribution_runs (workspace_id, created_at desc);

create table attribution_credits (
    run_id          uuid not null references attribution_runs (id) on delete cascade,
    channel         text not null,
    conversions     double precision not null,
    value           double precision not null,
    share           double precision not null,
    removal_effect  double precision,
    primary key (run_id, channel)
);
