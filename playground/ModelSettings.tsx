// The model picker in the playground's bar, with the endpoint fields when one is chosen.
import { KEY, type Endpoint } from './model.ts';

export function ModelSettings({ ep, onChange }: { ep: Endpoint; onChange(next: Endpoint): void }) {
  return (
    <>
      <label>
        Model{' '}
        <select aria-label="Model" value={ep.kind} onChange={(e) => onChange({ ...ep, kind: e.target.value as Endpoint['kind'] })}>
          <option value="scripted">scripted (no key)</option>
          <option value="openai">OpenAI-compatible endpoint</option>
          <option value="anthropic">Anthropic</option>
        </select>
      </label>
      {ep.kind !== 'scripted' && (
        <>
          <input aria-label="Base URL" value={ep.baseURL} onChange={(e) => onChange({ ...ep, baseURL: e.target.value })} style={{ width: 220 }} />
          <input aria-label="Model name" value={ep.model} onChange={(e) => onChange({ ...ep, model: e.target.value })} style={{ width: 120 }} />
          <input aria-label="API key (kept in this tab only)" type="password" placeholder="API key" defaultValue={sessionStorage.getItem(KEY) ?? ''} onChange={(e) => sessionStorage.setItem(KEY, e.target.value)} />
        </>
      )}
    </>
  );
}
