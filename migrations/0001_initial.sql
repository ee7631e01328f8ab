-- Initial schema. Times are milliseconds since the Unix epoch (INTEGER); JSON lives in TEXT columns.
-- Uniqueness that lookups need is declared as named unique indexes: one index serves both the
-- constraint and the lookup (an inline UNIQUE plus a plain index would be two, and D1 bills every
-- index row a write touches).

CREATE TABLE users (
  id TEXT PRIMARY KEY,
  email TEXT NOT NULL,  -- lower-cased by the application
  google_id TEXT,
  first_name TEXT NOT NULL DEFAULT '',
  last_name TEXT NOT NULL DEFAULT '',
  roles TEXT NOT NULL DEFAULT 'USER',  -- comma list, e.g. 'USER,ADMIN'
  language TEXT NOT NULL DEFAULT 'en',
  -- An overdraft fails the whole batch; the cap is the largest integer D1 (a JS number) keeps exact.
  coins INTEGER NOT NULL DEFAULT 0 CHECK (coins >= 0 AND coins <= 9007199254740991),
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE UNIQUE INDEX idx_users_email ON users (email);
CREATE UNIQUE INDEX idx_users_google_id ON users (google_id);  -- NULLs do not collide
-- Admin listing pages newest first.
CREATE INDEX idx_users_created ON users (created_at DESC, id DESC);

CREATE TABLE images (
  id TEXT PRIMARY KEY,
  user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  type TEXT NOT NULL CHECK (type IN ('GENERATED', 'UPLOADED')),
  status TEXT NOT NULL CHECK (status IN ('PENDING', 'PROCESSING', 'COMPLETED', 'FAILED')),
  title TEXT,
  description TEXT,
  prompt TEXT,
  aspect_ratio TEXT,
  storage_key TEXT,  -- R2 key of the original; NULL until the bytes exist
  thumbnail_key TEXT,
  content_type TEXT,
  width INTEGER,
  height INTEGER,
  size INTEGER,  -- bytes of the original
  thumbnail_size INTEGER,  -- bytes of the thumbnail, counted in stats' bytesStored
  format TEXT,
  sha256 TEXT,
  metadata TEXT,  -- JSON object of extra facts (model, source, ...)
  coins_used INTEGER NOT NULL DEFAULT 0 CHECK (coins_used >= 0),
  error TEXT,
  parent_image_ids TEXT,  -- JSON array of image ids used as references
  idempotency_key TEXT,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
-- Every query is per user; this index's leftmost column also serves plain user_id lookups,
-- so no separate single-column user_id index is kept.
CREATE INDEX idx_images_user_created ON images (user_id, created_at DESC, id DESC);
CREATE INDEX idx_images_status ON images (status);
CREATE INDEX idx_images_type ON images (type);
CREATE UNIQUE INDEX idx_images_user_idempotency ON images (user_id, idempotency_key);

CREATE TABLE coin_ledger (
  id TEXT PRIMARY KEY,
  user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  delta INTEGER NOT NULL CHECK (delta <> 0),
  reason TEXT NOT NULL,  -- 'signup_bonus', 'admin_grant', 'hold', 'settle', 'refund', ...
  image_id TEXT,  -- no foreign key: the ledger outlives a deleted image
  actor_id TEXT,  -- the admin who granted, when one did
  idempotency_key TEXT,
  balance_after INTEGER NOT NULL,  -- NULL (missing user) fails the batch
  created_at INTEGER NOT NULL
);
CREATE UNIQUE INDEX idx_coin_ledger_user_idempotency ON coin_ledger (user_id, idempotency_key);
CREATE INDEX idx_coin_ledger_user_created ON coin_ledger (user_id, created_at DESC, id DESC);
