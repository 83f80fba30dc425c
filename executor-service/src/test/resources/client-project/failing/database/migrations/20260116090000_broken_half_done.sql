-- Migration: broken_half_done
-- Description: creates a table, then fails: the table must not survive (one transaction)

-- ═══════════════════════════════════════════════════════════════
-- UP MIGRATION
-- ═══════════════════════════════════════════════════════════════

BEGIN;

CREATE TABLE half_done (id INT PRIMARY KEY);
INSERT INTO table_that_does_not_exist VALUES (1);

COMMIT;

-- ═══════════════════════════════════════════════════════════════
-- DOWN MIGRATION (for rollback)
-- ═══════════════════════════════════════════════════════════════

-- BEGIN;
-- DROP TABLE IF EXISTS half_done;
-- COMMIT;
