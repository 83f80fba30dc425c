#!/usr/bin/env bash
# Rolls nova-blog back to the previous release in an environment.
set -euo pipefail
ENVIRONMENT="${1:?usage: rollback.sh <environment>}"
exec runway rollback "$ENVIRONMENT" previous -p nova-blog --wait
