-- Migration: create_posts
-- Author: editors@nova-blog.example.com
-- Description: the posts table of the first release

-- ═══════════════════════════════════════════════════════════════
-- UP MIGRATION
-- ═══════════════════════════════════════════════════════════════

BEGIN;
CREATE TABLE IF NOT EXISTS posts (
    id BIGSERIAL PRIMARY KEY,
    title TEXT NOT NULL,
    published_at TIMESTAMP WITH TIME ZONE DEFAULT NOW()
);
COMMIT;

-- ═══════════════════════════════════════════════════════════════
-- DOWN MIGRATION (for rollback)
-- ═══════════════════════════════════════════════════════════════

-- BEGIN;
-- DROP TABLE IF EXISTS posts;
-- COMMIT;
