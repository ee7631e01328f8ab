-- Generation jobs: the machinery behind a GENERATED image, kept out of the images table that users see.
-- One row per generation, created in the same D1 batch as the image row and the ledger 'hold'.
-- `hold` is the state of the coins taken at request time (docs/coins.md):
--   open     -> the job may still run; its image is PENDING or PROCESSING (or was deleted meanwhile)
--   settled  -> the image was made; the hold's debit is final (set in the batch that marks it COMPLETED)
--   refunded -> a ledger 'refund' row gave the coins back (set in the batch that marks it FAILED)
-- Every transition out of 'open' is a conditional UPDATE ... WHERE hold = 'open' in the same batch as
-- the image and ledger writes, so settle and refund each happen at most once and never both.
CREATE TABLE generation_jobs (
  image_id TEXT PRIMARY KEY,  -- no foreign key: the job (like the ledger) outlives a deleted image
  user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  cost INTEGER NOT NULL CHECK (cost > 0),
  hold TEXT NOT NULL DEFAULT 'open' CHECK (hold IN ('open', 'settled', 'refunded')),
  request_hash TEXT NOT NULL,  -- SHA-256 of the normalised request: an Idempotency-Key replay must match it
  claim_token TEXT,  -- the queue delivery working on the job now; NULL while it waits in the queue
  claimed_at INTEGER,  -- a claim older than the lease may be taken over by a redelivery
  attempts INTEGER NOT NULL DEFAULT 0,  -- provider calls started
  deadline_at INTEGER NOT NULL,  -- no progress by then: the sweeper fails and refunds the job
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  resolved_at INTEGER
);
-- The per-user limit of running jobs counts open rows; the sweeper scans open rows by deadline.
CREATE INDEX idx_generation_jobs_user_open ON generation_jobs (user_id) WHERE hold = 'open';
CREATE INDEX idx_generation_jobs_open_deadline ON generation_jobs (deadline_at) WHERE hold = 'open';
