// The events of runs going on in this process (and the last few that ended), so that
// GET /runs/:id/events can replay them and follow the rest as they happen.
import type { Hook, LoopEvent, LoopOutcome, Step } from 'looplet';

interface Segment {
  readonly events: LoopEvent[];
  outcome?: Promise<LoopOutcome>;
  ended: boolean;
  /** Resolves at the next event or at the end; replaced each time. */
  tick: Promise<void>;
  wake(): void;
}

const KEEP = 100; // ended runs whose events stay replayable

export class LiveRuns {
  readonly #runs = new Map<string, Segment>();

  /** Runs one start or resume of `runId` (`start` gets the hook that records its events) to its end. */
  track(runId: string, start: (hook: Hook) => AsyncGenerator<Step, LoopOutcome>): Promise<LoopOutcome> {
    const seg = segment();
    const before = this.#runs.get(runId);
    this.#runs.delete(runId); // re-inserted last: the oldest entries are dropped first
    this.#runs.set(runId, seg);
    for (const [id, old] of this.#runs) if (this.#runs.size > KEEP && old.ended) this.#runs.delete(id);
    const hook: Hook = { name: 'liveRuns', onEvent: (e) => { seg.events.push(e); seg.wake(); } };
    seg.outcome = drain(start(hook)).finally(() => {
      seg.ended = true;
      seg.wake();
    });
    seg.outcome.catch(() => {
      // Refused before it began (a forged or stale decision): the run's last events stay the ones to replay.
      if (before && !seg.events.length && this.#runs.get(runId) === seg) this.#runs.set(runId, before);
    });
    return seg.outcome;
  }

  running(runId: string): boolean {
    return this.#runs.get(runId)?.ended === false;
  }

  /** For `toEventStream`: replays the run's events, then forwards new ones until it ends. */
  follow(runId: string): ((hook: Hook) => AsyncGenerator<Step, LoopOutcome>) | undefined {
    const seg = this.#runs.get(runId);
    if (!seg?.outcome) return undefined;
    const outcome = seg.outcome;
    // Yields no step: the events go through the hook, which is all toEventStream sends.
    // deno-lint-ignore require-yield
    return async function* (hook) {
      for (let i = 0; ; ) {
        const tick = seg.tick;
        while (i < seg.events.length) await hook.onEvent?.(seg.events[i++]!);
        if (seg.ended) return await outcome;
        await tick;
      }
    };
  }
}

function segment(): Segment {
  const seg: Segment = { events: [], ended: false, tick: Promise.resolve(), wake: () => {} };
  const arm = () => {
    seg.tick = new Promise((resolve) => {
      seg.wake = () => {
        arm();
        resolve();
      };
    });
  };
  arm();
  return seg;
}

async function drain(run: AsyncGenerator<Step, LoopOutcome>): Promise<LoopOutcome> {
  for (;;) {
    const r = await run.next();
    if (r.done) return r.value;
  }
}
