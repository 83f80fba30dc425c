#!/usr/bin/env node
// The artifact Runway starts in a blue or green slot (deploy.artifact: `node scripts/start.mjs`), in a read-only
// checkout of the deployment's commit, as an unprivileged user: `next start` of this commit's build on $PORT.
// The build (npm ci + next build, scripts/build.sh) was made once per commit by CI into $NEXT_BUILDS/<build key>;
// the key is computed here from this checkout, so only a build of exactly these sources and this lockfile runs.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { buildKey } from './build-key.mjs';
import { observe } from '../lib/http-observer.mjs';

const builds = process.env.NEXT_BUILDS;
if (!builds) {
  console.error('NEXT_BUILDS is not set: it names the directory scripts/build.sh built this project into');
  process.exit(1);
}
const key = buildKey(process.cwd());
const dir = path.join(builds, key);
const next = path.join(dir, 'node_modules', 'next', 'dist', 'bin', 'next');
if (!existsSync(path.join(dir, '.next', 'BUILD_ID')) || !existsSync(next)) {
  console.error(`no build of this commit in ${dir}: run scripts/build.sh ${builds} in a checkout of it`);
  process.exit(1);
}
console.log(`release ${process.env.VERSION ?? 'dev'}: next start of build ${key} on port ${process.env.PORT ?? 3000}`);

process.env.NEXT_TELEMETRY_DISABLED = '1';
observe(process.env.VERSION ?? 'dev');
// Next's own CLI, in this process (Runway's pid file names it): next start <build dir> -p $PORT -H 127.0.0.1
process.argv = [process.argv[0], next, 'start', dir, '--port', process.env.PORT ?? '3000', '--hostname', '127.0.0.1'];
await import(pathToFileURL(next).href);
