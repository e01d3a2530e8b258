-- Where each line's current spend came from, how likely it meets each per-channel limit, and, for a channel held at the
-- level closest to limits it cannot meet, what it reaches there; the plan's warnings in words.
alter table recommendation_lines
    add column current_source text not null default 'last_week',
    add column payback_probability double precision,
    add column clv_cac_probability double precision,
    add column unreachable jsonb;
alter table recommendations add column warnings jsonb not null default '[]';
