-- The gallery at any size: favourites, per-user counters, full-text search and share links.
--
-- Counters: a gallery page's `total`, `GET /api/images/stats` and `/api/me`'s storage used read at most
-- 16 rows of image_counts (2 types x 4 statuses x favourite or not) instead of every image of the user.
-- Triggers keep them in the same statement as the image write that moves them (insert, status change,
-- size or coins change, favourite, delete, and the cascade of a user deletion), so no code path can
-- forget one and a recount always agrees (tests/unit/image_counts_test.cpp, tests/integration/gallery.test.js).

ALTER TABLE images ADD COLUMN favorite INTEGER NOT NULL DEFAULT 0 CHECK (favorite IN (0, 1));
-- Share links (src/app/images/share_links.h): the token is never stored. share_nonce is the random input the token
-- is derived from with SHARE_LINK_SECRET (HMAC), so asking again gives the same link; share_hash is
-- SHA-256 of the token, what GET /s/:token looks up. Both NULL: not shared (revoke clears them).
ALTER TABLE images ADD COLUMN share_nonce TEXT;
ALTER TABLE images ADD COLUMN share_hash TEXT;
CREATE UNIQUE INDEX idx_images_share_hash ON images (share_hash) WHERE share_hash IS NOT NULL;

-- Filtered gallery pages walk their own index in page order instead of filtering the user's whole list.
CREATE INDEX idx_images_user_type_created ON images (user_id, type, created_at DESC, id DESC);
CREATE INDEX idx_images_user_status_created ON images (user_id, status, created_at DESC, id DESC);
CREATE INDEX idx_images_user_type_status_created ON images (user_id, type, status, created_at DESC, id DESC);
CREATE INDEX idx_images_user_favorite_created ON images (user_id, created_at DESC, id DESC) WHERE favorite = 1;

CREATE TABLE image_counts (
  user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  type TEXT NOT NULL,
  status TEXT NOT NULL,
  favorite INTEGER NOT NULL,
  images INTEGER NOT NULL DEFAULT 0,
  coins INTEGER NOT NULL DEFAULT 0,  -- sum of coins_used (stats' coinsSpent leaves FAILED out: refunded)
  bytes INTEGER NOT NULL DEFAULT 0,  -- sum of size + thumbnail_size: the storage quota's "used"
  PRIMARY KEY (user_id, type, status, favorite)
) WITHOUT ROWID;

-- Backfill from the rows as they are.
INSERT INTO image_counts (user_id, type, status, favorite, images, coins, bytes)
SELECT user_id, type, status, favorite, COUNT(*), COALESCE(SUM(coins_used), 0),
       COALESCE(SUM(COALESCE(size, 0) + COALESCE(thumbnail_size, 0)), 0)
FROM images GROUP BY user_id, type, status, favorite;

CREATE TRIGGER images_count_insert AFTER INSERT ON images BEGIN
  INSERT INTO image_counts (user_id, type, status, favorite, images, coins, bytes)
  VALUES (NEW.user_id, NEW.type, NEW.status, NEW.favorite, 1, NEW.coins_used,
          COALESCE(NEW.size, 0) + COALESCE(NEW.thumbnail_size, 0))
  ON CONFLICT (user_id, type, status, favorite) DO UPDATE SET
    images = images + 1, coins = coins + excluded.coins, bytes = bytes + excluded.bytes;
END;

CREATE TRIGGER images_count_delete AFTER DELETE ON images BEGIN
  UPDATE image_counts SET
    images = images - 1, coins = coins - OLD.coins_used,
    bytes = bytes - (COALESCE(OLD.size, 0) + COALESCE(OLD.thumbnail_size, 0))
  WHERE user_id = OLD.user_id AND type = OLD.type AND status = OLD.status AND favorite = OLD.favorite;
END;

-- Only updates that set a counted column fire it (a title edit does not).
CREATE TRIGGER images_count_update
AFTER UPDATE OF user_id, type, status, favorite, coins_used, size, thumbnail_size ON images BEGIN
  UPDATE image_counts SET
    images = images - 1, coins = coins - OLD.coins_used,
    bytes = bytes - (COALESCE(OLD.size, 0) + COALESCE(OLD.thumbnail_size, 0))
  WHERE user_id = OLD.user_id AND type = OLD.type AND status = OLD.status AND favorite = OLD.favorite;
  INSERT INTO image_counts (user_id, type, status, favorite, images, coins, bytes)
  VALUES (NEW.user_id, NEW.type, NEW.status, NEW.favorite, 1, NEW.coins_used,
          COALESCE(NEW.size, 0) + COALESCE(NEW.thumbnail_size, 0))
  ON CONFLICT (user_id, type, status, favorite) DO UPDATE SET
    images = images + 1, coins = coins + excluded.coins, bytes = bytes + excluded.bytes;
END;

-- Search: title, description and prompt, case- and accent-insensitive ("café" finds "cafe"). An
-- external-content index over images' rowid: the text is stored once (in images), the index kept by
-- triggers in the same statement as the row. user_id is indexed too, so a search matches only the
-- searcher's own images inside FTS5 (user_id:"<id>" AND {title description prompt}: (...)) instead of
-- every user's matches of a word.
CREATE VIRTUAL TABLE images_fts USING fts5(
  user_id, title, description, prompt,
  content = 'images', content_rowid = 'rowid',
  tokenize = 'unicode61 remove_diacritics 2'
);
INSERT INTO images_fts (images_fts) VALUES ('rebuild');

CREATE TRIGGER images_fts_insert AFTER INSERT ON images BEGIN
  INSERT INTO images_fts (rowid, user_id, title, description, prompt)
  VALUES (NEW.rowid, NEW.user_id, NEW.title, NEW.description, NEW.prompt);
END;

CREATE TRIGGER images_fts_delete AFTER DELETE ON images BEGIN
  INSERT INTO images_fts (images_fts, rowid, user_id, title, description, prompt)
  VALUES ('delete', OLD.rowid, OLD.user_id, OLD.title, OLD.description, OLD.prompt);
END;

CREATE TRIGGER images_fts_update AFTER UPDATE OF user_id, title, description, prompt ON images BEGIN
  INSERT INTO images_fts (images_fts, rowid, user_id, title, description, prompt)
  VALUES ('delete', OLD.rowid, OLD.user_id, OLD.title, OLD.description, OLD.prompt);
  INSERT INTO images_fts (rowid, user_id, title, description, prompt)
  VALUES (NEW.rowid, NEW.user_id, NEW.title, NEW.description, NEW.prompt);
END;
