/**
 * Finds the Temporal CLI binary that runs the local dev server, in the order
 * scripts/install-temporal.mjs (npm postinstall) resolves it:
 * TEMPORAL_CLI_PATH, then `temporal` on PATH, then the repo's .tools/temporal cache.
 */
import { accessSync, constants, existsSync, statSync } from 'node:fs';
import { delimiter, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const EXE = process.platform === 'win32' ? 'temporal.exe' : 'temporal';

function isExecutableFile(path: string): boolean {
  try {
    if (!statSync(path).isFile()) return false;
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** The nearest directory at or above `start` holding a package.json (the xpflow checkout or install). */
export function packageRoot(start: string = dirname(fileURLToPath(import.meta.url))): string {
  for (let dir = start; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    if (dirname(dir) === dir) return process.cwd();
  }
}

/** Where install-temporal.mjs caches a downloaded CLI. */
export function cachedTemporalCli(root: string = packageRoot()): string {
  return join(root, '.tools', 'temporal', EXE);
}

function onPath(pathVar: string | undefined): string | undefined {
  for (const dir of (pathVar ?? '').split(delimiter)) {
    if (!dir) continue;
    const candidate = join(dir, EXE);
    if (isExecutableFile(candidate)) return candidate;
  }
  return undefined;
}

/** Absolute path of the Temporal CLI; throws with what to do when there is none. */
export function findTemporalCli(
  env: Record<string, string | undefined> = process.env,
  root: string = packageRoot(),
): string {
  const explicit = env.TEMPORAL_CLI_PATH?.trim();
  if (explicit) {
    const path = resolve(explicit);
    if (!isExecutableFile(path)) {
      throw new Error(
        `TEMPORAL_CLI_PATH=${explicit} is not an executable file; fix it or unset it to use the Temporal CLI on PATH`,
      );
    }
    return path;
  }
  const found = onPath(env.PATH) ?? (isExecutableFile(cachedTemporalCli(root)) ? cachedTemporalCli(root) : undefined);
  if (found) return found;
  throw new Error(
    `no Temporal CLI found (not on PATH, not in ${cachedTemporalCli(root)}): ` +
      'run npm install (its postinstall fetches one) or set TEMPORAL_CLI_PATH to a temporal binary',
  );
}
