-- What one more new customer cost at the recommended spend (null: the curve was flat there).
alter table recommendation_lines add column marginal_cac double precision;
