#!/usr/bin/env node
// The build key of a source tree: SHA-256 over the files `next build` reads (the lockfile included), so one
// commit's build is made once and found again by scripts/start.mjs in any checkout of that commit.
// Usage: node scripts/build-key.mjs [dir]   (prints the key)
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const BUILD_INPUTS = ['package.json', 'package-lock.json', 'next.config.mjs', 'app', 'lib', 'public'];

function files(dir, rel) {
  const full = path.join(dir, rel);
  if (!existsSync(full)) return [];
  if (!statSync(full).isDirectory()) return [rel];
  return readdirSync(full).sort().flatMap((name) => files(dir, path.posix.join(rel, name)));
}

export function buildKey(dir) {
  const hash = createHash('sha256');
  for (const rel of BUILD_INPUTS.flatMap((input) => files(dir, input)).sort()) {
    hash.update(rel).update('\0').update(readFileSync(path.join(dir, rel))).update('\0');
  }
  return hash.digest('hex').slice(0, 32);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  console.log(buildKey(path.resolve(process.argv[2] ?? '.')));
}
