// The trace viewer `looplet view` serves: the devtools panel on a trace file (`?trace=<url>`) or a
// live event stream (`?watch=<url>`). Everything it shows comes from those URLs; nothing leaves the page.
import { useEffect, useState } from 'react';
import { createRoot } from 'react-dom/client';
import { eventStreamSource, LoopletDevtools, parseTrace, staticSource, type TraceSource } from '../index.ts';

function Viewer() {
  const [source, setSource] = useState<TraceSource>();
  const [problem, setProblem] = useState<string>();
  useEffect(() => {
    const q = new URLSearchParams(location.search);
    const watch = q.get('watch');
    const trace = q.get('trace');
    if (watch) return setSource(eventStreamSource(watch));
    if (!trace) return setSource(staticSource([]));
    fetch(trace)
      .then((res) => (res.ok ? res.text() : Promise.reject(new Error(`${trace}: HTTP ${res.status}`))))
      .then(parseTrace)
      .then(({ events }) => setSource(staticSource(events)))
      .catch((err: unknown) => setProblem(`Could not load the trace: ${(err as Error).message}`));
  }, []);
  if (problem) return <p role="alert" style={{ padding: 16, font: '14px system-ui' }}>{problem}</p>;
  return source ? <LoopletDevtools source={source} /> : <p role="status" style={{ padding: 16, font: '14px system-ui' }}>Loading the trace…</p>;
}

createRoot(document.getElementById('app')!).render(<Viewer />);
