-- What knowing each channel's true response before planning would have been worth per week (null: not valued).
alter table recommendation_lines add column test_value double precision;
