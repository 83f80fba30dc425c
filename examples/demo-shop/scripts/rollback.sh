#!/usr/bin/env bash
# Rolls demo-shop back to the previous release in an environment.
set -euo pipefail
ENVIRONMENT="${1:?usage: rollback.sh <environment>}"
exec runway rollback "$ENVIRONMENT" previous -p demo-shop --wait
