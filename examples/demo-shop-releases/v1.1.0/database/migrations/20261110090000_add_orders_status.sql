-- Migration: add_orders_status
-- Author: team@demo-shop.example.com
-- Description: an order status; nullable, so v1.0.0 keeps inserting while both versions run

-- ═══════════════════════════════════════════════════════════════
-- UP MIGRATION
-- ═══════════════════════════════════════════════════════════════

BEGIN;
ALTER TABLE orders ADD COLUMN status TEXT;
COMMIT;

-- ═══════════════════════════════════════════════════════════════
-- DOWN MIGRATION (for rollback)
-- ═══════════════════════════════════════════════════════════════

-- BEGIN;
-- ALTER TABLE orders DROP COLUMN IF EXISTS status;
-- COMMIT;
