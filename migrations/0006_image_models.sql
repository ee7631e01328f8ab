-- The Nano Banana family (docs/models.md): which model made a generated image, at which size, and
-- what it was asked beyond the prompt. NULL on uploads and on images made before this migration
-- (those were all gemini-2.5-flash-image at 1K).
ALTER TABLE images ADD COLUMN model TEXT;  -- the generateContent model id asked for
ALTER TABLE images ADD COLUMN image_size TEXT;  -- '0.5K' | '1K' | '2K' | '4K'
-- Google Search grounding: 1 when the request asked for it (the google_search tool was sent).
ALTER TABLE images ADD COLUMN grounding_requested INTEGER NOT NULL DEFAULT 0 CHECK (grounding_requested IN (0, 1));
-- The answer's groundingMetadata, reduced to {"queries": [...], "sources": [{"title","uri"}]}: shown
-- with the image, as Google's terms for grounded results ask. NULL when the answer had none.
ALTER TABLE images ADD COLUMN grounding TEXT;
ALTER TABLE images ADD COLUMN thinking TEXT;  -- thinkingConfig.thinkingLevel asked for, if any
