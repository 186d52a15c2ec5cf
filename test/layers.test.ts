/** Each layer of the code (README, "Layout") imports only the layers below it. */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { expect, it } from 'vitest';
import { REPO_ROOT } from './helpers/paths.js';

/** Bottom first; sql/ holds no TypeScript. */
const LAYERS = ['core', 'models', 'io', 'pipeline', 'evaluation', 'activities', 'workflows', 'temporal', 'cli'];

function typescriptFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return typescriptFiles(path);
    return path.endsWith('.ts') ? [path] : [];
  });
}

it('no module imports from a layer above its own', () => {
  const upward: string[] = [];
  for (const [level, layer] of LAYERS.entries())
    for (const file of typescriptFiles(join(REPO_ROOT, layer))) {
      const source = readFileSync(file, 'utf8');
      for (const [, specifier] of source.matchAll(/^\s*(?:import|export)\s[^'"]*?from\s+'(\.[^']+)'/gm)) {
        const target = relative(REPO_ROOT, resolve(dirname(file), specifier)).split('/')[0];
        if (LAYERS.indexOf(target) > level) upward.push(`${relative(REPO_ROOT, file)} imports ${specifier}`);
      }
    }
  expect(upward).toEqual([]);
});
