// Approval signatures and checkpoint seals, for runs with an `approvalSecret`: an HMAC-SHA256
// (RFC 2104 over FIPS 180-4, written out here so that it is synchronous: a checkpoint is sealed
// where it is made) over canonical JSON. A decision posted from outside (a browser to a Worker)
// must carry its pending call's signature, and a stored reply that someone without the secret
// changed (a paused call flipped to runnable, other arguments) no longer matches its seal.
import type { BatchRecord } from '../shapes.ts';

/** The signature a decision for this pending call must carry. */
export function signCall(secret: string, runId: string, call: { id: string; name: string; args: unknown }): string {
  return hmacHex(secret, canonical({ runId, id: call.id, name: call.name, args: call.args }));
}

/** The seal of the reply being dispatched: every call, its state, arguments and result, bound to the run. */
export function sealBatch(secret: string, runId: string, batch: BatchRecord): string {
  const { seal: _seal, ...rest } = batch;
  return hmacHex(secret, canonical({ runId, batch: rest }));
}

/** Compares in time independent of where the strings differ. */
export function sameSignature(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return diff === 0;
}

const keys = new Map<string, { inner: Uint8Array; outer: Uint8Array }>();

export function hmacHex(secret: string, message: string): string {
  let pads = keys.get(secret);
  if (!pads) {
    let key: Uint8Array = new TextEncoder().encode(secret);
    if (key.length > 64) key = sha256(key);
    const inner = new Uint8Array(64).fill(0x36);
    const outer = new Uint8Array(64).fill(0x5c);
    for (let i = 0; i < key.length; i++) { inner[i]! ^= key[i]!; outer[i]! ^= key[i]!; }
    keys.set(secret, (pads = { inner, outer }));
  }
  const msg = new TextEncoder().encode(message);
  const mac = sha256(concat(pads.outer, sha256(concat(pads.inner, msg))));
  let hex = '';
  for (const b of mac) hex += b.toString(16).padStart(2, '0');
  return hex;
}

const concat = (a: Uint8Array, b: Uint8Array): Uint8Array => {
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
};

// SHA-256 round constants: the first 32 bits of the fractional parts of the cube roots of the first 64 primes.
const K = new Uint32Array(64);
{
  let n = 0;
  for (let p = 2; n < 64; p++) {
    let prime = true;
    for (let d = 2; d * d <= p; d++) if (p % d === 0) { prime = false; break; }
    if (prime) K[n++] = (Math.cbrt(p) % 1) * 2 ** 32;
  }
}

export function sha256(data: Uint8Array): Uint8Array {
  const h = new Uint32Array([0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19]);
  // Padding: a 1 bit, zeros, then the length in bits as a 64-bit big-endian number.
  const blocks = Math.ceil((data.length + 9) / 64);
  const padded = new Uint8Array(blocks * 64);
  padded.set(data);
  padded[data.length] = 0x80;
  const view = new DataView(padded.buffer);
  view.setUint32(padded.length - 8, Math.floor(data.length / 0x20000000));
  view.setUint32(padded.length - 4, (data.length << 3) >>> 0);
  const w = new Uint32Array(64);
  const rotr = (x: number, n: number) => (x >>> n) | (x << (32 - n));
  for (let off = 0; off < padded.length; off += 64) {
    for (let i = 0; i < 16; i++) w[i] = view.getUint32(off + i * 4);
    for (let i = 16; i < 64; i++) {
      const a = w[i - 15]!, b = w[i - 2]!;
      const s0 = rotr(a, 7) ^ rotr(a, 18) ^ (a >>> 3);
      const s1 = rotr(b, 17) ^ rotr(b, 19) ^ (b >>> 10);
      w[i] = (w[i - 16]! + s0 + w[i - 7]! + s1) >>> 0;
    }
    let [a, b, c, d, e, f, g, hh] = h as unknown as [number, number, number, number, number, number, number, number];
    for (let i = 0; i < 64; i++) {
      const t1 = (hh + (rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25)) + ((e & f) ^ (~e & g)) + K[i]! + w[i]!) >>> 0;
      const t2 = ((rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22)) + ((a & b) ^ (a & c) ^ (b & c))) >>> 0;
      hh = g; g = f; f = e; e = (d + t1) >>> 0; d = c; c = b; b = a; a = (t1 + t2) >>> 0;
    }
    h[0] = h[0]! + a; h[1] = h[1]! + b; h[2] = h[2]! + c; h[3] = h[3]! + d;
    h[4] = h[4]! + e; h[5] = h[5]! + f; h[6] = h[6]! + g; h[7] = h[7]! + hh;
  }
  const out = new Uint8Array(32);
  const ov = new DataView(out.buffer);
  for (let i = 0; i < 8; i++) ov.setUint32(i * 4, h[i]!);
  return out;
}

/**
 * JSON with sorted keys, so equal values give equal text (what approval signatures and seals are
 * over). Like safeJSON, it survives what a tool may return: a BigInt is its digits, a cycle or
 * nesting past 256 levels a marker.
 */
export function canonical(value: unknown, ancestors: unknown[] = []): string {
  if (typeof value === 'bigint') return JSON.stringify(value.toString());
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (ancestors.includes(value)) return '"[Circular]"';
  if (ancestors.length >= 256) return '"[Too deep]"';
  ancestors.push(value);
  const o = value as Record<string, unknown>;
  const text = Array.isArray(value)
    ? `[${value.map((v) => canonical(v, ancestors)).join(',')}]`
    : `{${Object.keys(o).sort().filter((k) => o[k] !== undefined).map((k) => `${JSON.stringify(k)}:${canonical(o[k], ancestors)}`).join(',')}}`;
  ancestors.pop();
  return text;
}
