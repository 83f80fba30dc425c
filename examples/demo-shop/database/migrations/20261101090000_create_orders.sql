-- Migration: create_orders
-- Author: team@demo-shop.example.com
-- Description: the orders table of the first release

-- ═══════════════════════════════════════════════════════════════
-- UP MIGRATION
-- ═══════════════════════════════════════════════════════════════

BEGIN;
CREATE TABLE IF NOT EXISTS orders (
    id BIGSERIAL PRIMARY KEY,
    item TEXT NOT NULL,
    created_at TIMESTAMP WITH TIME ZONE DEFAULT NOW()
);
COMMIT;

-- ═══════════════════════════════════════════════════════════════
-- DOWN MIGRATION (for rollback)
-- ═══════════════════════════════════════════════════════════════

-- BEGIN;
-- DROP TABLE IF EXISTS orders;
-- COMMIT;
