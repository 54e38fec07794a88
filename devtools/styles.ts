// Scoped styles: everything under .lp-root, colours as CSS variables (light and dark).
export const CSS = `
.lp-root{--bg:#fff;--fg:#1b1f24;--muted:#5c6670;--line:#d8dde3;--sel:#dbeafe;--ok:#116329;--err:#b42318;--warn:#8a5a00;--add:#dafbe1;--del:#ffebe9;--panel:#f6f8fa;
  font:13px/1.4 ui-sans-serif,system-ui,-apple-system,"Segoe UI",sans-serif;color:var(--fg);background:var(--bg);display:flex;flex-direction:column;height:100%;min-height:0}
.lp-root.lp-dark{--bg:#0d1117;--fg:#e6edf3;--muted:#9da7b3;--line:#30363d;--sel:#1f3a5f;--ok:#3fb950;--err:#ff7b72;--warn:#d29922;--add:#12361e;--del:#4a1d1d;--panel:#161b22}
.lp-root *{box-sizing:border-box}
.lp-root button,.lp-root input,.lp-root select,.lp-root textarea{font:inherit;color:inherit;background:var(--panel);border:1px solid var(--line);border-radius:4px;padding:2px 8px}
.lp-root button{cursor:pointer}
.lp-root button:focus-visible,.lp-root [role=row]:focus-visible{outline:2px solid #2f81f7;outline-offset:-2px}
.lp-head{display:flex;flex-wrap:wrap;gap:8px;align-items:center;padding:6px 8px;border-bottom:1px solid var(--line);background:var(--panel)}
.lp-head .lp-stat{color:var(--muted)}
.lp-main{display:flex;flex:1;min-height:0}
.lp-list{flex:0 0 46%;min-width:280px;border-right:1px solid var(--line);display:flex;flex-direction:column;min-height:0}
.lp-scroll{flex:1;overflow:auto;position:relative;min-height:120px}
.lp-row{position:absolute;left:0;right:0;height:28px;display:grid;grid-template-columns:8ch 22px 110px 1fr 90px 56px 56px;gap:6px;align-items:center;padding:0 8px;border-bottom:1px solid var(--line);white-space:nowrap;overflow:hidden;cursor:pointer}
.lp-row[aria-selected=true]{background:var(--sel)}
.lp-row span{overflow:hidden;text-overflow:ellipsis}
.lp-ok{color:var(--ok)}.lp-error,.lp-denied{color:var(--err)}.lp-paused{color:var(--warn)}
.lp-detail{flex:1;min-width:0;overflow:auto;padding:8px}
.lp-tabs{display:flex;gap:4px;margin-bottom:8px}
.lp-tabs [aria-selected=true]{background:var(--sel)}
.lp-pre{white-space:pre-wrap;word-break:break-word;font:12px/1.45 ui-monospace,SFMono-Regular,Menlo,monospace;margin:0;padding:6px;background:var(--panel);border:1px solid var(--line);border-radius:4px;max-height:60vh;overflow:auto}
.lp-msg{margin:6px 0}.lp-msg h4{margin:0 0 2px;font-size:12px;color:var(--muted)}
.lp-diff .lp-add{background:var(--add)}.lp-diff .lp-del{background:var(--del)}.lp-diff .lp-fold{color:var(--muted);font-style:italic;display:block;border:0;background:none;padding:0;text-align:left}
.lp-root mark{background:#fff3b0;color:inherit}.lp-root.lp-dark mark{background:#5a4a00}
.lp-diff ins{background:var(--add);text-decoration:none}.lp-diff del{background:var(--del)}
.lp-approval{border-top:2px solid var(--warn);padding:8px;background:var(--panel)}
.lp-approval li{list-style:none;margin:6px 0;padding:6px;border:1px solid var(--line);border-radius:4px}
.lp-approval ul{margin:0;padding:0}
.lp-errors{color:var(--err);padding:4px 8px}
.lp-waterfall{padding:4px 8px;border-bottom:1px solid var(--line)}
.lp-wf-head{display:flex;gap:8px;align-items:center;font-size:12px;min-height:22px}
.lp-wf-track{position:relative;overflow:hidden;touch-action:none;cursor:crosshair;user-select:none}
.lp-root .lp-wf-bar,.lp-root .lp-wf-bucket{position:absolute;height:11px;padding:0;border:0;border-radius:2px;font-size:9px;line-height:11px;color:#fff;overflow:hidden;min-width:2px}
.lp-root .lp-wf-llm{background:#8250df}.lp-root .lp-wf-tool{background:#1a7f37}
.lp-root .lp-wf-err{background:var(--err)}.lp-root.lp-dark .lp-wf-bar{color:#0d1117}.lp-root .lp-wf-pause{background:var(--warn)}
.lp-root .lp-wf-bucket{top:2px;background:linear-gradient(#8250df 0 45%,#1a7f37 45%);opacity:.8}
.lp-root .lp-wf-bucket.lp-wf-err{box-shadow:inset 0 3px 0 var(--err)}
.lp-root .lp-wf-bar[aria-pressed=true]{outline:2px solid #2f81f7;outline-offset:1px;z-index:1}
.lp-wf-brush{position:absolute;top:0;bottom:0;background:rgba(47,129,247,.2);border:1px solid #2f81f7;pointer-events:none}
.lp-wf-axis{position:relative;height:14px;font-size:10px;color:var(--muted);border-top:1px solid var(--line)}
.lp-wf-axis span{position:absolute;transform:translateX(-50%);white-space:nowrap}
.lp-wf-axis span:first-child{transform:none}
.lp-drop{outline:2px dashed #2f81f7;outline-offset:-4px}
.lp-dropnote{position:absolute;inset:40% 20% auto;padding:16px;text-align:center;background:var(--panel);border:2px dashed #2f81f7;border-radius:8px;z-index:3;pointer-events:none}
.lp-hidden{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}
.lp-paste{position:absolute;z-index:2;background:var(--panel);padding:6px;border:1px solid var(--line)}
.lp-listbar{display:flex;gap:6px;align-items:center;padding:4px 8px;border-bottom:1px solid var(--line)}.lp-listbar span{flex:1}
.lp-detailpane{flex:1;min-width:0;display:flex;flex-direction:column}
.lp-empty{margin:24px auto;padding:24px 32px;max-width:560px;text-align:center;border:2px dashed var(--line);border-radius:8px}
.lp-compare table{border-collapse:collapse;width:100%;font-size:12px}.lp-compare td,.lp-compare th{border-bottom:1px solid var(--line);padding:3px 6px;text-align:left;vertical-align:top;word-break:break-word}
.lp-compare .lp-differs{background:var(--del)}
.lp-root{container-type:inline-size;position:relative}
.lp-muted{color:var(--muted)}
.lp-sub{margin:4px 0 8px;padding:4px 8px;border:1px solid var(--line);border-radius:4px;background:var(--panel)}.lp-sub ol{margin:4px 0;padding-left:22px}
.lp-decisions{margin:0;padding-left:18px}.lp-decisions li{margin:3px 0}
/* Narrow (a phone, a side panel): the list above the detail, each full width. */
@container (max-width:700px){
  .lp-main{flex-direction:column}
  .lp-list{flex:0 0 40%;min-width:0;border-right:0;border-bottom:1px solid var(--line)}
  .lp-row{grid-template-columns:8ch 22px 90px 1fr 0 0 0}
  .lp-tabs{flex-wrap:wrap}
}
@media (prefers-reduced-motion:reduce){.lp-root *{transition:none!important}}
`;
