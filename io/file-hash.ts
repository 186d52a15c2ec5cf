/** Content hashes of files: what a stage read and wrote, for reuse and audit. */
import { createHash } from 'node:crypto';
import { createReadStream, statSync } from 'node:fs';

export async function sha256File(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

export interface FileFingerprint {
  name: string;
  bytes: number;
  sha256: string;
}

export async function fingerprint(path: string, name: string): Promise<FileFingerprint> {
  return { name, bytes: statSync(path).size, sha256: await sha256File(path) };
}
