#!/usr/bin/env bash
# Sends traffic back to the previous (blue) version.
set -euo pipefail
ENVIRONMENT="${1:?usage: rollback.sh <environment>}"
runway rollback acme-shop --env "$ENVIRONMENT"
