-- The CLV each line was planned with, where it came from, and the typed and fitted figures beside it, so a stored plan's
-- report shows the values it was made on, not the workspace's later ones.
alter table recommendation_lines
    add column clv double precision,
    add column clv_source text,
    add column typed_clv double precision,
    add column fitted_clv double precision;
