-- Migration: close_accounts_without_down
-- Description: destructive change without a DOWN section: compensation must restore the backup

-- ═══════════════════════════════════════════════════════════════
-- UP MIGRATION
-- ═══════════════════════════════════════════════════════════════

BEGIN;

DELETE FROM accounts;
CREATE TABLE orders (id SERIAL PRIMARY KEY, account TEXT NOT NULL);

COMMIT;
