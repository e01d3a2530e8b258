-- What a workspace's figures mean: the currency of its money and the day its weeks start on. Existing workspaces
-- keep working as they did: US dollars (no currency was named before) and ISO weeks, which start on Monday.
alter table workspaces add column currency text not null default 'USD' check (currency ~ '^[A-Z]{3}$');
-- ISO weekday, as PostgreSQL's extract(isodow): 1 Monday … 7 Sunday.
alter table workspaces add column week_start smallint not null default 1 check (week_start between 1 and 7);
