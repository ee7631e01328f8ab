-- Hardening (issue 12).
--
-- 1. An Idempotency-Key's outcome outlives its image. Until now a generation replay was found through
--    images.idempotency_key, so deleting the image freed the key and the same request charged again.
--    The job row already outlives the image (it holds the request hash and the hold), so it keeps the
--    key too: a replay finds the job, and answers the image or, when the image is gone, a 409.
ALTER TABLE generation_jobs ADD COLUMN idempotency_key TEXT;  -- 'generate:<header>', NULL without a key
UPDATE generation_jobs SET idempotency_key =
  (SELECT images.idempotency_key FROM images WHERE images.id = generation_jobs.image_id);
CREATE UNIQUE INDEX idx_generation_jobs_user_idempotency ON generation_jobs (user_id, idempotency_key);

-- 2. Every admin role change and coin grant, written in the same D1 batch as the change itself.
--    before/after are JSON (roles: the role list; coins: the balance). No foreign keys: the audit
--    outlives the accounts it names.
CREATE TABLE admin_audit (
  id TEXT PRIMARY KEY,
  actor_id TEXT NOT NULL,
  target_user_id TEXT NOT NULL,
  action TEXT NOT NULL,  -- 'roles.update' or 'coins.grant'
  before TEXT NOT NULL,
  after TEXT NOT NULL,
  created_at INTEGER NOT NULL
);
-- GET /api/admin/audit pages newest first.
CREATE INDEX idx_admin_audit_created ON admin_audit (created_at DESC, id DESC);
-- Sign-in asks whether an admin ever demoted this account (ADMIN_EMAILS must not undo a demotion).
CREATE INDEX idx_admin_audit_target ON admin_audit (target_user_id, action);

-- 3. Sessions: POST /api/auth/logout-everywhere bumps the user's epoch; a session remembers the epoch
--    it was made in and is dead once they differ. (The sessions live in KV, which cannot be listed by
--    user; the user row is read on every signed-in request anyway, so the check costs no extra read.)
ALTER TABLE users ADD COLUMN session_epoch INTEGER NOT NULL DEFAULT 0;
