// The README's chart: one panel of horizontal bars per measure, a row per library, looplet in green.
const esc = (s) => String(s).replace(/&/g, '&amp;').replace(/</g, '&lt;');

/** rows: [{ name, values: number[] }]; panels: [{ title, format(v) }], one per value. */
export function chart(rows, panels) {
  const rowH = 22, left = 150, panelW = 250, room = 64; // room: the value's label after the longest bar
  const w = left + panels.length * panelW + 40;
  const max = panels.map((_, p) => Math.max(...rows.map((r) => r.values[p] ?? 0), 1e-9));
  const bar = (r, p, y) => {
    const v = r.values[p];
    if (v === undefined) return '';
    const x = left + p * panelW;
    const width = Math.max(1, (Math.max(0, v) / max[p]) * (panelW - room - 16));
    return `<rect x="${x}" y="${y}" width="${width.toFixed(1)}" height="16" fill="${r.name === 'looplet' ? '#1a7f37' : '#8c959f'}"/><text x="${(x + width + 4).toFixed(1)}" y="${y + 13}">${esc(panels[p].format(v))}</text>`;
  };
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${rows.length * rowH + 34}" font-family="system-ui, sans-serif" font-size="12">
${panels.map((p, i) => `<text x="${left + i * panelW}" y="14" font-weight="600">${esc(p.title)}</text>`).join('')}
${rows.map((r, i) => { const y = 24 + i * rowH; return `<text x="${left - 8}" y="${y + 13}" text-anchor="end">${esc(r.name)}</text>${r.values.map((_, p) => bar(r, p, y)).join('')}`; }).join('\n')}
</svg>
`;
}
