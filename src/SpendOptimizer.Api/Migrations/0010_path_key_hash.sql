-- A path is keyed by a digest of its text: a btree entry holds at most about 2.7 kB, and a path of 10,000 channels
-- is far longer. The text itself stays unchanged; md5 only identifies it within the workspace.
alter table paths drop constraint paths_pkey;
create unique index paths_workspace_path_md5 on paths (workspace_id, md5(path));
