-- How much of each channel's predicted change the plan counted on when choosing it (1: all; see caution_quantile).
alter table recommendation_lines
    add column rise_weight double precision not null default 1,
    add column fall_weight double precision not null default 1;
