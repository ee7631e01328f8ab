-- Coin purchases through Stripe Checkout (docs/billing.md). One row per Checkout Session we create,
-- written `pending` before Stripe is called; the webhook moves it to `paid` (coins credited) and
-- `refunded` (coins taken back) with conditional updates inside the same D1 batch as the balance
-- and ledger rows, so a replayed or concurrent event finds the state already moved and changes nothing.
CREATE TABLE purchases (
  id TEXT PRIMARY KEY,
  user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  pack_id TEXT NOT NULL,
  coins INTEGER NOT NULL CHECK (coins > 0),
  amount INTEGER NOT NULL CHECK (amount > 0),  -- minor units of `currency`
  currency TEXT NOT NULL,  -- lower-case ISO 4217, as Stripe writes it
  status TEXT NOT NULL CHECK (status IN ('pending', 'paid', 'refunded', 'failed', 'expired')),
  session_id TEXT,  -- Stripe's cs_...; NULL only between the row's insert and Stripe's answer
  payment_intent TEXT,  -- pi_..., recorded by the completion event; charge.refunded names it
  refunded_coins INTEGER NOT NULL DEFAULT 0 CHECK (refunded_coins >= 0),  -- what the refund took back
  refund_shortfall INTEGER NOT NULL DEFAULT 0 CHECK (refund_shortfall >= 0),  -- what it could not
  -- Set and cleared inside one batch: marks the row whose credit or refund the batch's next
  -- statements apply, so they run only when the conditional state change above them matched.
  ledger_step TEXT,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE UNIQUE INDEX idx_purchases_session ON purchases (session_id);
CREATE INDEX idx_purchases_payment_intent ON purchases (payment_intent);
CREATE INDEX idx_purchases_user_created ON purchases (user_id, created_at DESC, id DESC);

-- charge.refunded events by payment intent. A refund can arrive before the completion event it
-- undoes; the completion batch then credits and takes back in one go.
CREATE TABLE purchase_refunds (
  payment_intent TEXT PRIMARY KEY,
  event_id TEXT NOT NULL,
  received_at INTEGER NOT NULL
);
