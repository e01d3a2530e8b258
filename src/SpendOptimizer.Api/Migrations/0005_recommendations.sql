-- A recommendation is stored whole (header and lines in one transaction) only when the solver found a plan;
-- infeasible requests are answered, not stored.
create table recommendations (
    id                     uuid primary key,
    workspace_id           text not null references workspaces (id) on delete cascade,
    week                   date not null,
    fit_id                 uuid references response_fits (id) on delete set null,
    request                jsonb not null,
    objective              text not null,
    status                 text not null,
    solver_status          text not null,
    relative_gap           double precision not null,
    solve_seconds          double precision not null,
    approximation_error    double precision not null,
    current_value          double precision not null,
    recommended_value      double precision not null,
    gain_p10               double precision,
    gain_p50               double precision,
    gain_p90               double precision,
    gain_probability_positive double precision,
    draws                  integer not null,
    created_at             timestamptz not null default now()
);
create index recommendations_recent on recommendations (workspace_id, created_at desc);

create table recommendation_lines (
    recommendation_id   uuid not null references recommendations (id) on delete cascade,
    channel             text not null,
    current_spend       double precision not null,
    recommended_spend   double precision not null,
    change              double precision not null,
    current_conversions double precision not null,
    conversions         double precision not null,
    customers           double precision not null,
    revenue             double precision not null,
    cac                 double precision,
    payback_months      double precision,
    clv_cac             double precision,
    marginal_return     double precision not null,
    reason              text not null,
    primary key (recommendation_id, channel)
);
