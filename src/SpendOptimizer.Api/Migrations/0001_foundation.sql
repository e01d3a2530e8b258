-- Workspaces, keys and every ingested input. Every table is keyed by workspace first,
-- and journey tables by (workspace_id, journey_id), so they can be distributed by journey on Citus.

create table workspaces (
    id          text primary key,
    name        text not null,
    time_zone   text not null default 'UTC',
    created_at  timestamptz not null default now()
);

-- Only a SHA-256 of each key is stored; keys are 256-bit random, so a fast hash is enough.
create table api_keys (
    id            uuid primary key,
    workspace_id  text not null references workspaces (id) on delete cascade,
    role          text not null check (role in ('read', 'ingest', 'admin')),
    key_hash      bytea not null unique,
    prefix        text not null,
    label         text,
    created_at    timestamptz not null default now(),
    revoked_at    timestamptz
);
create index api_keys_workspace on api_keys (workspace_id);

create table channel_performance (
    workspace_id   text not null references workspaces (id) on delete cascade,
    date           date not null,
    channel        text not null,
    grain          text not null check (grain in ('day', 'week')),
    spend          double precision not null,
    impressions    bigint not null,
    clicks         bigint not null,
    conversions    double precision not null,
    revenue        double precision not null,
    new_customers  double precision not null,
    updated_at     timestamptz not null default now(),
    primary key (workspace_id, date, channel)
);

-- Raw journeys: touches and the journey's conversion (channel '', with its value), in the upload's own words,
-- so a CSV export loads unchanged by the API or by psql's \copy.
-- No foreign key: per-row checks would slow binary COPY, and the API only writes under a checked workspace.
create table touchpoints (
    workspace_id  text not null,
    journey_id    text not null,
    ts            timestamptz not null,
    event         text not null check (event in ('touch', 'conversion')),
    channel       text not null,
    campaign      text,
    value         double precision not null,
    primary key (workspace_id, journey_id, ts, event, channel)
);

create table touchpoint_loads (
    id            uuid primary key,
    workspace_id  text not null references workspaces (id) on delete cascade,
    rows          bigint not null,
    journeys_from text,
    loaded_at     timestamptz not null default now()
);

create table paths (
    workspace_id            text not null references workspaces (id) on delete cascade,
    path                    text not null,
    total_conversions       double precision not null,
    total_conversion_value  double precision not null,
    total_null              double precision not null,
    updated_at              timestamptz not null default now(),
    primary key (workspace_id, path)
);

create table lift_tests (
    workspace_id             text not null references workspaces (id) on delete cascade,
    id                       text not null,
    channel                  text not null,
    kind                     text not null check (kind in ('geo', 'holdout', 'time')),
    start_date               date not null,
    end_date                 date not null,
    incremental_conversions  double precision,
    incremental_revenue      double precision,
    stderr                   double precision,
    ci_lower                 double precision,
    ci_upper                 double precision,
    ci_level                 double precision not null,
    attributed_conversions   double precision,
    spend                    double precision,
    created_at               timestamptz not null default now(),
    primary key (workspace_id, id),
    check (end_date >= start_date)
);

create table unit_economics (
    workspace_id         text not null references workspaces (id) on delete cascade,
    channel              text not null,
    arpa_monthly         double precision not null,
    gross_margin         double precision not null,
    monthly_churn        double precision,
    retention_curve      double precision[],
    annual_discount_rate double precision not null,
    clv_override         double precision,
    updated_at           timestamptz not null default now(),
    primary key (workspace_id, channel)
);
