// The refund "payment provider": a ledger in the run's own storage. Each refund is keyed by the
// call that asked for it, like a payment API's idempotency key, so a call that runs again (a turn
// cut off mid-refund and approved again) returns the refund already made instead of paying twice.

export interface Refund {
  readonly id: string;
  readonly order: string;
  readonly amount: number;
  readonly reason?: string;
  readonly at: number;
}

const PREFIX = 'refund:';

export async function refundOnce(storage: DurableObjectStorage, key: string, ask: Omit<Refund, 'id' | 'at'>): Promise<Refund & { replayed?: true }> {
  const made = await storage.get<Refund>(PREFIX + key);
  if (made) return { ...made, replayed: true };
  const refund: Refund = { id: `re_${crypto.randomUUID().slice(0, 8)}`, ...ask, at: Date.now() };
  await storage.put(PREFIX + key, refund);
  return refund;
}

export async function refundsMade(storage: DurableObjectStorage): Promise<Refund[]> {
  return [...(await storage.list<Refund>({ prefix: PREFIX })).values()];
}
