-- Where the executor says each component's new release (and the one it replaces) answers, as JSON
-- {component: {"url": ..., "baselineUrl": ...}}: the health-watcher's targets are built from it.
ALTER TABLE deployment ADD COLUMN release_endpoints TEXT;
