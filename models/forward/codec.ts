/**
 * Float32/Int32 arrays ⇄ base64 strings (little-endian bytes), for JSON model files
 * and checkpoints: exact, and ~4× smaller than printing the numbers.
 */

export function f32ToBase64(a: Float32Array): string {
  return Buffer.from(a.buffer, a.byteOffset, a.byteLength).toString('base64');
}

export function base64ToF32(s: string, expectedLength: number | undefined, field: string): Float32Array {
  const bytes = Buffer.from(s, 'base64');
  if (bytes.byteLength % 4 !== 0)
    throw new Error(`${field}: ${bytes.byteLength} bytes is not a whole number of float32s`);
  const out = new Float32Array(bytes.byteLength / 4);
  new Uint8Array(out.buffer).set(bytes);
  if (expectedLength !== undefined && out.length !== expectedLength) {
    throw new Error(`${field}: ${out.length} values, expected ${expectedLength}`);
  }
  return out;
}
