import { canonical } from '../util/json.ts';

// Approval signatures: an HMAC (Web Crypto, SHA-256) over the exact pending call, so a
// decision posted from outside (a browser to a Worker) can be checked: forged, altered or
// replayed-into-another-run approvals do not verify.

const keys = new Map<string, Promise<CryptoKey>>();

function key(secret: string): Promise<CryptoKey> {
  let k = keys.get(secret);
  if (!k) {
    k = crypto.subtle.importKey('raw', new TextEncoder().encode(secret), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
    keys.set(secret, k);
  }
  return k;
}

export async function signCall(secret: string, runId: string, call: { id: string; name: string; args: unknown }): Promise<string> {
  const text = canonical({ runId, id: call.id, name: call.name, args: call.args });
  const mac = await crypto.subtle.sign('HMAC', await key(secret), new TextEncoder().encode(text));
  return [...new Uint8Array(mac)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

/** Compares in time independent of where the strings differ. */
export function sameSignature(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return diff === 0;
}
