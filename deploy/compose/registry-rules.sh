#!/bin/sh
# One-shot (compose service registry-rules): sets the registry's global compatibility rule to BACKWARD,
# so a schema change that old consumers cannot read is refused at registration, not found in production.
set -eu

API="${REGISTRY_URL:-http://registry:8080/apis/registry/v3}"
RULE='{"ruleType":"COMPATIBILITY","config":"BACKWARD"}'

# POST fails with 409 once the rule exists (restarts, kept volume): update it instead.
if curl -fsS -o /dev/null "$API/admin/rules/COMPATIBILITY"; then
  curl -fsS -X PUT -H 'Content-Type: application/json' -d "$RULE" "$API/admin/rules/COMPATIBILITY"
else
  curl -fsS -X POST -H 'Content-Type: application/json' -d "$RULE" "$API/admin/rules"
fi
echo
echo "registry: global compatibility rule BACKWARD"
