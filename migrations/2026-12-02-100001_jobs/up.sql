-- Durable background jobs (see docs/jobs.md). A job is deleted when its handler succeeds, so
-- the table holds only work still to do (queued), in progress (running) and given up (failed):
-- it stays small, and "done" needs no cleanup.
CREATE TABLE jobs (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    kind         text NOT NULL,
    payload      jsonb NOT NULL DEFAULT 'null',
    state        text NOT NULL DEFAULT 'queued' CHECK (state IN ('queued', 'running', 'failed')),
    -- attempts started so far; a take counts one, so a worker killed mid-job uses up an attempt
    attempts     integer NOT NULL DEFAULT 0,
    max_attempts integer NOT NULL DEFAULT 5 CHECK (max_attempts >= 1),
    -- not before: the requested time, or the next retry after a backoff
    run_at       timestamptz NOT NULL DEFAULT now(),
    -- while running: the take's own id, and until when it is the taker's; a lapsed lease means
    -- the taker died, and the job is queued again
    locked_by    uuid,
    lease_until  timestamptz,
    last_error   text,
    -- equal work queued twice is queued once (unique per kind among queued jobs)
    dedupe_key   text,
    created_at   timestamptz NOT NULL DEFAULT now(),
    updated_at   timestamptz NOT NULL DEFAULT now(),
    CHECK ((state = 'running') = (locked_by IS NOT NULL AND lease_until IS NOT NULL))
);
-- the next due job: an index scan over queued jobs only
CREATE INDEX jobs_due_idx ON jobs (run_at) WHERE state = 'queued';
-- lapsed leases
CREATE INDEX jobs_lease_idx ON jobs (lease_until) WHERE state = 'running';
-- the CLI's list of failed jobs
CREATE INDEX jobs_failed_idx ON jobs (updated_at) WHERE state = 'failed';
CREATE UNIQUE INDEX jobs_dedupe_idx ON jobs (kind, dedupe_key)
    WHERE state = 'queued' AND dedupe_key IS NOT NULL;

-- Queued deletions of stored objects are jobs now; object_gc keeps only the claims of uploads
-- being written (held_by set). Deletions still queued the old way move over.
INSERT INTO jobs (kind, payload)
SELECT 'delete_image_objects', jsonb_build_object('images', jsonb_agg(image_id))
FROM object_gc WHERE held_by IS NULL
HAVING count(*) > 0;
DELETE FROM object_gc WHERE held_by IS NULL;
