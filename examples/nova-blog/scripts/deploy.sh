#!/usr/bin/env bash
# Deploys nova-blog through Runway: validation, approvals and traffic are Runway's job.
set -euo pipefail
ENVIRONMENT="${1:?usage: deploy.sh <environment> <version>}"
VERSION="${2:?usage: deploy.sh <environment> <version>}"
exec runway deploy -e "$ENVIRONMENT" -v "$VERSION" --repo "$(dirname "$0")/.." --wait
