// The coding demo's own settings, kept in localStorage: the scripted session, JSON-in-text tool
// calls, the context budget compaction keeps the conversation within.
export type Session = 'fizzbuzz' | 'escape' | 'sandbox';

export interface CodingSettings {
  readonly session: Session;
  readonly jsonMode: boolean;
  readonly contextBudget: number;
}

const KEY = 'looplet-playground-coding:settings';
const DEFAULTS: CodingSettings = { session: 'fizzbuzz', jsonMode: false, contextBudget: 32_000 };

export const SESSIONS: readonly { readonly id: Session; readonly label: string }[] = [
  { id: 'fizzbuzz', label: 'fizzbuzz (write, test, run)' },
  { id: 'escape', label: 'escape (tries to leave the workspace)' },
  { id: 'sandbox', label: 'sandbox (network, endless loop)' },
];

export function loadSettings(): CodingSettings {
  try {
    return { ...DEFAULTS, ...(JSON.parse(localStorage.getItem(KEY) ?? '{}') as Partial<CodingSettings>) };
  } catch {
    return DEFAULTS;
  }
}

export function saveSettings(s: CodingSettings): void {
  localStorage.setItem(KEY, JSON.stringify(s));
}
