#!/bin/sh
# Builds the commit this script belongs to, once, into <builds>/<build key> (scripts/build-key.mjs): what CI does
# before a host deployment, and what `./runway demo nextjs` runs for each release. `npm ci` runs once per lockfile
# (<builds>/deps-<lockfile hash>, hard-linked into each build); nothing is downloaded but npm packages, no install
# script runs (--ignore-scripts), and `next build` needs no network (Next's compiler is the npm package
# @next/swc-linux-x64-gnu). Prints the build key.
# Usage: scripts/build.sh <builds>
set -eu
builds=${1:?usage: scripts/build.sh <builds directory>}
src=$(cd "$(dirname "$0")/.." && pwd)
mkdir -p "$builds"
builds=$(cd "$builds" && pwd)
key=$(node "$src/scripts/build-key.mjs" "$src")
if [ -f "$builds/$key/.next/BUILD_ID" ]; then
  echo "$key"
  exit 0
fi

lock=$(sha256sum "$src/package-lock.json" | cut -c1-32)
deps="$builds/deps-$lock"
installed="npm ci: reused deps-$lock"
if [ ! -d "$deps/node_modules" ]; then
  tmp="$builds/.deps-$lock.$$"
  rm -rf "$tmp" && mkdir -p "$tmp"
  cp "$src/package.json" "$src/package-lock.json" "$tmp/"
  t0=$(date +%s)
  (cd "$tmp" && npm ci --ignore-scripts --no-audit --no-fund --cache "$builds/.npm-cache" >&2)
  installed="npm ci: $(( $(date +%s) - t0 )) s"
  echo "$installed" >&2
  rm -rf "$deps" && mv "$tmp" "$deps"
fi

work="$builds/.build-$key.$$"
rm -rf "$work" && mkdir -p "$work"
for input in package.json package-lock.json next.config.mjs app lib public; do
  [ -e "$src/$input" ] && cp -R "$src/$input" "$work/"
done
cp -al "$deps/node_modules" "$work/node_modules"
t0=$(date +%s)
(cd "$work" && NEXT_TELEMETRY_DISABLED=1 node node_modules/next/dist/bin/next build >&2)
built="next build: $(( $(date +%s) - t0 )) s"
echo "$built" >&2
# The key of what was built must be the key asked for (a build never changes its inputs).
[ "$(node "$src/scripts/build-key.mjs" "$work")" = "$key" ] || { echo "the build changed its own inputs" >&2; exit 1; }
printf '%s; %s\n' "$installed" "$built" > "$work/.next/runway-build-times"
rm -rf "$builds/$key" && mv "$work" "$builds/$key"
echo "$key"
