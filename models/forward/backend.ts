/**
 * Chooses the tfjs backend at run time: tfjs-node ('tensorflow') when it can be
 * imported, else WebAssembly (SIMD when the runtime has it; binaries loaded from
 * node_modules/@tensorflow/tfjs-backend-wasm/dist), else the plain-JS 'cpu' backend.
 * XPFLOW_TF_BACKEND=node|wasm|cpu forces one; useBackend() switches in-process so a
 * benchmark can time wasm and cpu in one run. The forward model keeps its parameters
 * on the host and builds tensors per batch, so switching never strands a tensor.
 */
import * as tf from '@tensorflow/tfjs';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { createRequire } from 'node:module';
import { dirname, join, sep } from 'node:path';

export type BackendName = 'node' | 'wasm' | 'cpu';

const TF_NAME: Record<BackendName, string> = { node: 'tensorflow', wasm: 'wasm', cpu: 'cpu' };
const ENV_VAR = 'XPFLOW_TF_BACKEND';

let wasmPathSet = false;
let nodeTried: boolean | undefined;

function isBackendName(s: string): s is BackendName {
  return s === 'node' || s === 'wasm' || s === 'cpu';
}

async function registerNode(): Promise<boolean> {
  if (nodeTried !== undefined) return nodeTried;
  try {
    const spec = '@tensorflow/tfjs-node';
    await import(spec); // registers the 'tensorflow' backend as a side effect
    nodeTried = tf.findBackendFactory(TF_NAME.node) != null;
  } catch {
    nodeTried = false;
  }
  return nodeTried;
}

function registerWasm(): void {
  if (wasmPathSet) return;
  const require = createRequire(import.meta.url);
  const dir = join(dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json')), 'dist') + sep;
  setWasmPaths(dir);
  wasmPathSet = true;
}

/** Makes `name` the active backend; throws when it cannot start. */
export async function useBackend(name: BackendName): Promise<void> {
  if (name === 'node' && !(await registerNode()))
    throw new Error(`${ENV_VAR}=node: @tensorflow/tfjs-node cannot be imported`);
  if (name === 'wasm') registerWasm();
  const ok = await tf.setBackend(TF_NAME[name]);
  if (!ok) throw new Error(`tfjs backend '${name}' failed to initialise`);
  await tf.ready();
}

/**
 * Starts the preferred backend: `forced`, else $XPFLOW_TF_BACKEND, else the first of
 * node, wasm, cpu that starts. Returns the active one.
 */
export async function initBackend(forced?: BackendName): Promise<BackendName> {
  const env = process.env[ENV_VAR]?.trim();
  if (!forced && env) {
    if (!isBackendName(env)) throw new Error(`${ENV_VAR}=${env}: expected node, wasm or cpu`);
    forced = env;
  }
  if (forced) {
    await useBackend(forced);
    return forced;
  }
  for (const name of ['node', 'wasm', 'cpu'] as const) {
    try {
      await useBackend(name);
      return name;
    } catch {
      // try the next one
    }
  }
  throw new Error('no tfjs backend could start');
}

/** The active backend, in our names. */
export function activeBackend(): BackendName {
  const b = tf.getBackend();
  if (b === TF_NAME.node) return 'node';
  if (b === 'wasm' || b === 'cpu') return b;
  throw new Error(`unexpected tfjs backend '${b}'`);
}

/** What the active backend runs with (for logs and benchmark details). */
export async function backendInfo(): Promise<{ backend: BackendName; simd?: boolean; threads?: number }> {
  const backend = activeBackend();
  if (backend !== 'wasm') return { backend };
  const simd = Boolean(await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT'));
  const { getThreadsCount } = await import('@tensorflow/tfjs-backend-wasm');
  return { backend, simd, threads: getThreadsCount() };
}
