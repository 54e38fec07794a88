// The demo select: each demo is its own page load (its own runs, checkpoints and panel), so
// switching navigates, and the URL is a link to the demo. No visible label: the options name the
// demos, and the bar must stay one line at 1300 px for the panel's rows.
import { currentDemo, demoURL, DEMOS, type DemoId } from './demo.ts';

export function DemoPicker() {
  return (
    <select aria-label="Demo" title="Demo" value={currentDemo()} onChange={(e) => location.assign(demoURL(e.target.value as DemoId))}>
      {DEMOS.map((d) => <option key={d.id} value={d.id}>{d.label}</option>)}
    </select>
  );
}
