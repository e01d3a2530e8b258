-- Each group's CLV draws, kept with its fit so a plan on fitted CLV carries the CLV's doubt without refitting or
-- re-evaluating the CLV per draw. The pooled group has grp null. 1,000 float8 per group: about 8 kB.
create table customer_value_draws (
    fit_id  uuid not null references customer_value_fits (id) on delete cascade,
    grp     text,
    draws   float8[] not null,
    unique nulls not distinct (fit_id, grp)
);
