import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
/** ../shared beside the checkout (CI lays it there too). */
export const SHARED_GAIAXPY = join(REPO_ROOT, '..', 'shared', 'data', 'gaiaxpy');
export const REAL_XP_CSV = join(SHARED_GAIAXPY, 'real', 'XP_CONTINUOUS_RAW.csv');
export const FIXTURES = join(REPO_ROOT, 'test', 'fixtures');
