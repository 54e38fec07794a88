// The trace viewer `looplet view` serves: the devtools panel on a trace file (`?trace=<url>`) or a
// live event stream (`?watch=<url>`). Everything it shows comes from those URLs; nothing leaves the page.
// The view (run, step, tab, filter) is kept in the hash, so a reload or a shared link opens it again.
import { createRoot } from 'react-dom/client';
import { eventStreamSource, LoopletDevtools, staticSource, urlSource } from '../index.ts';

const q = new URLSearchParams(location.search);
const watch = q.get('watch');
const trace = q.get('trace');
const source = watch ? eventStreamSource(watch) : trace ? urlSource(trace) : staticSource([]);

createRoot(document.getElementById('app')!).render(<LoopletDevtools source={source} deepLinks />);
