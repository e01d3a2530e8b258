-- A touchpoint load sent with an Idempotency-Key is recorded with that key in the same transaction as its rows,
-- so a retry after any failure either finds the committed load (and gets its answer again) or loads once.
alter table touchpoint_loads
    add column idempotency_key text,
    add column touches bigint not null default 0,
    add column conversions bigint not null default 0;
alter table touchpoint_loads drop column journeys_from;
create unique index touchpoint_loads_idempotency on touchpoint_loads (workspace_id, idempotency_key) where idempotency_key is not null;
