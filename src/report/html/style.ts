/** The HTML report's stylesheet, inlined (and hashed into the CSP) by src/report/html.ts. */
export const reportStyle = `
:root { --fg: #1d2230; --dim: #5d6577; --line: #d9dde6; --bg: #fff; --alt: #f5f7fa;
  --crit: #8e0b21; --high: #c62828; --med: #b26a00; --low: #47617a; --none: #5d6577; --ok: #1b7a3a; }
* { box-sizing: border-box; }
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; color: var(--fg); background: var(--bg); margin: 0 auto; max-width: 1200px; padding: 16px 24px 64px; }
h1 { font-size: 22px; margin: 8px 0 4px; } h2 { font-size: 17px; margin: 28px 0 8px; border-bottom: 1px solid var(--line); padding-bottom: 4px; }
code, .mono { font-family: ui-monospace, "SFMono-Regular", Menlo, monospace; font-size: 12.5px; }
.dim { color: var(--dim); }
table { border-collapse: collapse; width: 100%; } th, td { text-align: left; padding: 4px 8px; border-bottom: 1px solid var(--line); vertical-align: top; }
th { font-weight: 600; background: var(--alt); }
.counts { display: flex; flex-wrap: wrap; gap: 8px; margin: 8px 0; }
.count { border: 1px solid var(--line); border-radius: 6px; padding: 6px 12px; min-width: 96px; }
.count b { display: block; font-size: 20px; }
.sev { display: inline-block; min-width: 70px; text-align: center; border-radius: 4px; color: #fff; font-size: 11px; font-weight: 700; padding: 1px 4px; }
.sev-CRITICAL { background: var(--crit); } .sev-HIGH { background: var(--high); } .sev-MEDIUM { background: var(--med); }
.sev-LOW { background: var(--low); } .sev-NONE, .sev-UNKNOWN { background: var(--none); }
.status-verified { color: var(--ok); font-weight: 700; } .status-failed { color: var(--high); font-weight: 700; }
.status-unsigned, .status-unchecked { color: var(--med); font-weight: 700; }
.verdict-failed { color: var(--high); font-weight: 700; } .verdict-passed { color: var(--ok); font-weight: 700; }
ul.tree, ul.tree ul { list-style: none; padding-left: 18px; margin: 0; } ul.tree { padding-left: 0; }
ul.tree li { padding: 1px 0; } .disabled { color: var(--dim); text-decoration: line-through; }
.controls { position: sticky; top: 0; background: var(--bg); z-index: 1; padding: 8px 0; border-bottom: 1px solid var(--line); display: flex; flex-wrap: wrap; gap: 6px 16px; align-items: center; }
.controls fieldset { border: 0; margin: 0; padding: 0; display: flex; gap: 8px; align-items: center; }
.controls legend { float: left; margin-right: 6px; font-weight: 600; }
.controls input[type=search] { width: 260px; padding: 3px 6px; }
#graph { margin-top: 6px; }
.gnode { padding-left: 20px; }
.gnode.depth-0 { padding-left: 0; }
.grow { display: flex; align-items: baseline; gap: 8px; padding: 2px 4px; border-radius: 4px; }
.grow:hover { background: var(--alt); }
.toggle { width: 20px; height: 20px; border: 0; background: none; cursor: pointer; padding: 0; font-size: 12px; color: var(--dim); flex: none; }
.toggle[aria-expanded=true]::before { content: "\\25BE"; } .toggle[aria-expanded=false]::before { content: "\\25B8"; }
.leaf { width: 20px; flex: none; }
.kind { font-size: 11px; text-transform: uppercase; letter-spacing: .04em; color: var(--dim); min-width: 74px; flex: none; }
.badges { margin-left: auto; display: flex; gap: 4px; flex: none; }
.badge { font-size: 11px; border-radius: 8px; padding: 0 6px; color: #fff; }
.b-CRITICAL { background: var(--crit); } .b-HIGH { background: var(--high); } .b-MEDIUM { background: var(--med); }
.b-LOW { background: var(--low); } .b-NONE, .b-UNKNOWN { background: var(--none); } .b-mitigated { background: var(--ok); }
.vuln-details { margin: 2px 0 6px 48px; padding: 6px 10px; border-left: 3px solid var(--line); background: var(--alt); }
.vuln-details dt { font-weight: 600; float: left; clear: left; width: 110px; } .vuln-details dd { margin: 0 0 2px 116px; }
.state-mitigated { color: var(--ok); font-weight: 600; } .state-open { color: var(--high); font-weight: 600; }
.t-vuln { content-visibility: auto; contain-intrinsic-size: auto 26px; }
.more { margin: 2px 0 4px 48px; font-size: 12px; }
code.vid { white-space: nowrap; }
.empty { color: var(--dim); padding: 8px 0; }
details.workload { margin: 4px 0; } details.workload summary { cursor: pointer; }
`;
