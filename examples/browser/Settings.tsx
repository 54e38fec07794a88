// The settings row: which model runs the agent. The key goes to sessionStorage as it is typed.
import { apiKey, setApiKey, type ModelSettings } from './settings.ts';

export function Settings({ value, onChange }: { value: ModelSettings; onChange(next: ModelSettings): void }) {
  const endpoint = value.kind === 'openai';
  return (
    <fieldset className="settings">
      <legend>Model</legend>
      <select aria-label="Model kind" value={value.kind} onChange={(e) => onChange({ ...value, kind: e.target.value === 'openai' ? 'openai' : 'scripted' })}>
        <option value="scripted">Scripted model (no key)</option>
        <option value="openai">OpenAI-compatible endpoint</option>
      </select>
      <input aria-label="Endpoint URL" disabled={!endpoint} value={value.baseURL} onChange={(e) => onChange({ ...value, baseURL: e.target.value })} size={28} />
      <input aria-label="Model name" disabled={!endpoint} value={value.model} onChange={(e) => onChange({ ...value, model: e.target.value })} size={14} />
      <input aria-label="API key (this tab only)" disabled={!endpoint} type="password" autoComplete="off" placeholder="API key (this tab only)" defaultValue={apiKey()} onChange={(e) => setApiKey(e.target.value)} />
    </fieldset>
  );
}
