#!/usr/bin/env bash
# Deploys acme-shop through Runway: validation, approvals and blue-green are Runway's job.
set -euo pipefail
ENVIRONMENT="${1:?usage: deploy.sh <environment> <version>}"
VERSION="${2:?usage: deploy.sh <environment> <version>}"
runway deploy acme-shop --env "$ENVIRONMENT" --version "$VERSION"
