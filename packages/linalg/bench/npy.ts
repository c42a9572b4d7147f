/** Minimal .npy (version 1.0) writer for handing benchmark inputs to numpy. */
import { writeFileSync } from 'node:fs';

export function writeNpy(
  path: string,
  data: Float32Array | Float64Array | Uint8Array,
  shape: number[],
): void {
  const descr = data instanceof Uint8Array ? '|u1' : data instanceof Float32Array ? '<f4' : '<f8';
  let header = `{'descr': '${descr}', 'fortran_order': False, 'shape': (${shape.join(', ')}${shape.length === 1 ? ',' : ''}), }`;
  // Magic (6) + version (2) + header length (2) + header, padded with spaces to a multiple of 64, ending in \n.
  const total = Math.ceil((10 + header.length + 1) / 64) * 64;
  header = `${header.padEnd(total - 10 - 1, ' ')}\n`;
  const prefix = new Uint8Array(10);
  prefix.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0]);
  prefix[8] = header.length & 0xff;
  prefix[9] = header.length >> 8;
  const body = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  const out = new Uint8Array(10 + header.length + body.length);
  out.set(prefix, 0);
  out.set(new TextEncoder().encode(header), 10);
  out.set(body, 10 + header.length);
  writeFileSync(path, out);
}
