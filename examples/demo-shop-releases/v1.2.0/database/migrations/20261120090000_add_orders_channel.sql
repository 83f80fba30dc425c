-- Migration: add_orders_channel
-- Author: team@demo-shop.example.com
-- Description: the sales channel of an order; nullable, so v1.1.0 keeps inserting

-- ═══════════════════════════════════════════════════════════════
-- UP MIGRATION
-- ═══════════════════════════════════════════════════════════════

BEGIN;
ALTER TABLE orders ADD COLUMN channel TEXT;
COMMIT;

-- ═══════════════════════════════════════════════════════════════
-- DOWN MIGRATION (for rollback)
-- ═══════════════════════════════════════════════════════════════

-- BEGIN;
-- ALTER TABLE orders DROP COLUMN IF EXISTS channel;
-- COMMIT;
