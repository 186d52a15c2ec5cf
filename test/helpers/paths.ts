import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const FIXTURES = join(REPO_ROOT, 'test', 'fixtures');
/** GaiaXPy's real DR3 sources and its outputs for them (BSD-3, see its README). */
export const GAIAXPY_FIXTURES = join(FIXTURES, 'gaiaxpy');
export const REAL_XP_CSV = join(GAIAXPY_FIXTURES, 'real', 'XP_CONTINUOUS_RAW.csv');
