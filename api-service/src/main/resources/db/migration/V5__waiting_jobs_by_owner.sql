-- The per-user cap on waiting jobs counts these rows on every submission; the partial index keeps
-- that count to the user's own waiting rows, however many finished rows they have.
CREATE INDEX jobs_owner_waiting ON jobs (owner) WHERE status IN ('scheduled', 'queued');
