-- Migration: add_orders_note
-- Description: an optional note on each order (nullable, so the running version keeps inserting)

BEGIN;
ALTER TABLE orders ADD COLUMN note TEXT;
COMMIT;
