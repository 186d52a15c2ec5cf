/**
 * Writes a file so that readers see either nothing or the whole of it: the data goes
 * to a temporary name in the same folder, then is renamed over the target.
 */
import { createWriteStream, renameSync, rmSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { once } from 'node:events';

export interface AtomicWriter {
  write(text: string): Promise<void>;
  /** Flushes, closes and renames into place. */
  commit(): Promise<void>;
  /** Closes and removes the temporary file. */
  abort(): Promise<void>;
}

export function atomicWriter(path: string): AtomicWriter {
  const temp = join(dirname(path), `.${basename(path)}.${process.pid}.${Date.now()}.tmp`);
  const stream = createWriteStream(temp);
  let closed = false;
  const close = async () => {
    if (closed) return;
    closed = true;
    stream.end();
    await once(stream, 'close');
  };
  return {
    async write(text) {
      if (!stream.write(text)) await once(stream, 'drain');
    },
    async commit() {
      await close();
      renameSync(temp, path);
    },
    async abort() {
      await close().catch(() => undefined);
      rmSync(temp, { force: true });
    },
  };
}
