/**
 * Hand-made HdrHistogram V2 payloads for tests of the controller's defences:
 * a header in novaload's configuration followed by whatever entries a forger
 * chooses (a zero run far past the counts array), or a zlib "bomb" that
 * inflates to far more than any valid histogram.
 */
import { deflateSync } from 'node:zlib';

const V2_COOKIE = 0x1c849313;
const V2_COMPRESSED_COOKIE = 0x1c849314;

/** ZigZag LEB128 of a safe integer (negative = a run of that many zeros). */
function zigzag(v: number): number[] {
  let z = v >= 0 ? v * 2 : -v * 2 - 1;
  const out: number[] = [];
  for (let i = 0; i < 8 && z >= 0x80; i++) {
    out.push((z % 0x80) | 0x80);
    z = Math.floor(z / 0x80);
  }
  out.push(z);
  return out;
}

/** The compressed-base64 wrapper around any raw bytes (not necessarily a V2 histogram). */
export function wrapCompressed(raw: Uint8Array): string {
  const zlib = deflateSync(raw);
  const out = Buffer.alloc(8 + zlib.length);
  out.writeInt32BE(V2_COMPRESSED_COOKIE, 0);
  out.writeInt32BE(zlib.length, 4);
  out.set(zlib, 8);
  return out.toString('base64');
}

/** A V2 histogram (1 µs … 1 h, 3 digits) whose payload is exactly `entries`: counts, negatives for zero runs. */
export function forgedHistogram(entries: number[]): string {
  const payload = Buffer.from(entries.flatMap(zigzag));
  const header = Buffer.alloc(40);
  header.writeInt32BE(V2_COOKIE, 0);
  header.writeInt32BE(payload.length, 4);
  header.writeInt32BE(1, 8);
  header.writeInt32BE(3, 12);
  header.writeUInt32BE(0, 16);
  header.writeUInt32BE(1, 20);
  header.writeUInt32BE(0, 24);
  header.writeUInt32BE(3_600_000_000, 28);
  header.writeUInt32BE(0, 32);
  header.writeUInt32BE(1, 36);
  return wrapCompressed(Buffer.concat([header, payload]));
}

/** A histogram field that inflates to `mb` MB of zeros: a few hundred bytes of base64 per MB. */
export function inflationBomb(mb: number): string {
  return wrapCompressed(Buffer.alloc(mb * 1024 * 1024));
}
