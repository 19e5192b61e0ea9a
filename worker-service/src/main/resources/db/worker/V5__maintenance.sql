-- maintenance.prune_artifacts removes the links to the files it prunes by storage key, a batch of
-- keys per statement: without this index each statement would read the whole table.
CREATE INDEX simulation_run_artifacts_storage_key ON simulation_run_artifacts (storage_key);
