-- Job retention deletes finished jobs oldest first, per status, in batches: this index finds them
-- without reading the active rows or the rest of the table.
CREATE INDEX jobs_finished ON jobs (status, finished_at)
    WHERE status IN ('succeeded', 'failed', 'canceled', 'expired');
