-- Each curve fit stores, per channel, the fitted parameters with their uncertainty and the incrementality
-- factor that calibrated the data, so a recommendation can say exactly which curves it used.
create table response_fits (
    id                  uuid primary key,
    workspace_id        text not null references workspaces (id) on delete cascade,
    window_from         date,
    window_to           date,
    attribution_run_id  uuid references attribution_runs (id) on delete set null,
    parameters          jsonb not null,
    created_at          timestamptz not null default now()
);
create index response_fits_recent on response_fits (workspace_id, created_at desc);

create table response_curves (
    fit_id          uuid not null references response_fits (id) on delete cascade,
    channel         text not null,
    theta           double precision not null,
    alpha           double precision not null,
    kappa           double precision not null,
    beta            double precision not null,
    covariance      double precision[] not null,
    r_squared       double precision,
    mape            double precision,
    residual_sd     double precision not null,
    weeks           integer not null,
    mean_spend      double precision not null,
    current_spend   double precision not null,
    factor_mean     double precision not null,
    factor_sd       double precision not null,
    revenue_per_conversion   double precision not null,
    new_customers_per_conversion double precision not null,
    warnings        jsonb not null,
    primary key (fit_id, channel)
);
