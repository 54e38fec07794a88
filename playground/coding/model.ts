// Which model the coding demo talks to: a scripted session (no key, no network) or the endpoint
// configured in the bar, shared with the other demo.
import type { LLMBackend } from 'looplet';
import { scriptedCodingModel, scriptedModel } from '../../examples/coding-agent/scripted.ts';
import { endpointBackend, type Endpoint } from '../model.ts';
import { SANDBOX_SESSION } from './sandbox-session.ts';
import type { Session } from './settings.ts';

const PACE_MS = 150; // the scripted model answers at once; a pause makes the steps visible arriving

export function codingBackend(ep: Endpoint, session: Session): LLMBackend {
  if (ep.kind !== 'scripted') return endpointBackend(ep);
  return paced(session === 'sandbox' ? scriptedModel(SANDBOX_SESSION) : scriptedCodingModel(session));
}

function paced(inner: LLMBackend): LLMBackend {
  return {
    async generate(req, options) {
      await new Promise<void>((ok, fail) => {
        const t = setTimeout(ok, PACE_MS);
        options.signal.addEventListener('abort', () => { clearTimeout(t); fail(options.signal.reason); }, { once: true });
      });
      return inner.generate(req, options);
    },
  };
}
