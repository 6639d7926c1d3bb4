/**
 * The HTML report's script, run in the browser. src/report/html.ts inlines `clientMain`'s source
 * (Function.prototype.toString) in a <script> whose hash the CSP names, so the function must be
 * self-contained: it may use nothing from this module's scope. It reads the report model from the
 * <script type="application/json" id="report-data"> block and draws the impact graph as a
 * collapsible tree (chart → subchart → workload → image → package → vulnerability): an image used
 * by several workloads appears under each. Only expanded nodes are in the DOM, and every node keeps
 * the indexes of the findings below it, so filtering 2,000 findings is one pass over small arrays.
 * Text goes in through textContent only: nothing from the report is parsed as HTML.
 */
export function clientMain() {
  const started = performance.now();
  const data = JSON.parse(document.getElementById('report-data').textContent);
  // Rows of html.ts compactFindings, back into the report's findings.
  const findings = data.findings.map(([id, aliases, summary, severity, cvss, im, pk, loc, fixed, status, reason, state, mitigation]) => ({
    id, aliases, summary, severity, cvss, image: data.refs[im], package: data.packages[pk],
    location: loc ? { image: data.refs[im], layer: loc[0], path: loc[1] } : null, fixed, status, reason, state, mitigation,
  }));
  const SEVERITIES = ['CRITICAL', 'HIGH', 'MEDIUM', 'LOW', 'NONE', 'UNKNOWN'];

  // ---- the graph: nodes with the sorted, unique indexes of the findings below them
  let nextId = 0;
  const node = (type, label, extra) => Object.assign({ id: `n${nextId++}`, type, label, children: [], fi: [] }, extra);
  const chartNodes = new Map();
  for (const c of data.charts) chartNodes.set(c.path, node(c.path === data.top ? 'chart' : 'subchart', c.label, { sub: c.sub, disabled: !c.enabled }));
  if (!chartNodes.has(data.top)) chartNodes.set(data.top, node('chart', data.top, {}));
  const root = chartNodes.get(data.top);
  const parentOf = (path) => {
    const i = path.lastIndexOf('/charts/');
    return i > 0 ? path.slice(0, i) : null;
  };
  for (const [path, n] of chartNodes) {
    if (n === root) continue;
    const parent = chartNodes.get(parentOf(path) ?? data.top) ?? root;
    parent.children.push(n);
  }
  const byImage = new Map();
  findings.forEach((f, i) => {
    const list = byImage.get(f.image) ?? [];
    list.push(i);
    byImage.set(f.image, list);
  });
  const imageNode = (ref, sub) => {
    const n = node('image', ref, { sub });
    const byPackage = new Map();
    for (const i of byImage.get(ref) ?? []) {
      const f = findings[i];
      const key = `${f.package.ecosystem} ${f.package.name} ${f.package.version}`;
      let p = byPackage.get(key);
      if (!p) {
        p = node('package', `${f.package.name} ${f.package.version}`, { sub: f.package.purl ?? f.package.ecosystem });
        byPackage.set(key, p);
        n.children.push(p);
      }
      p.children.push(node('vuln', f.id, { finding: i, fi: [i] }));
      p.fi.push(i);
    }
    return n;
  };
  const placed = new Set();
  for (const w of data.workloads) {
    const chart = chartNodes.get(w.chart) ?? root;
    const wn = node('workload', `${w.kind}/${w.name}`, { sub: w.custom ? `${w.template} (custom resource)` : w.template, posture: w.posture });
    for (const ref of w.images) {
      wn.children.push(imageNode(ref, data.imageInfo[ref] ?? ''));
      placed.add(ref);
    }
    chart.children.push(wn);
  }
  // Findings of an image that no workload names (should not happen) still get a place.
  for (const ref of byImage.keys()) if (!placed.has(ref)) root.children.push(imageNode(ref, 'not placed in a workload'));
  const collect = (n) => {
    if (n.type === 'package' || n.type === 'vuln') return n.fi;
    const all = [];
    for (const c of n.children) for (const i of collect(c)) all.push(i);
    n.fi = Array.from(new Set(all)).sort((a, b) => a - b);
    return n.fi;
  };
  collect(root);
  const rank = (f) => SEVERITIES.indexOf(f.severity);
  const sortChildren = (n) => {
    if (n.type === 'package') n.children.sort((a, b) => rank(findings[a.finding]) - rank(findings[b.finding]) || (a.label < b.label ? -1 : 1));
    for (const c of n.children) sortChildren(c);
  };
  sortChildren(root);

  // ---- filter state
  const match = new Uint8Array(findings.length);
  const haystack = findings.map((f) => [f.id, ...f.aliases, f.severity, f.state, f.summary ?? '', f.package.name, f.package.purl ?? '', f.image, ...(data.imageWhere[f.image] ?? [])].join('\n').toLowerCase());
  const expanded = new Set();
  const expandTypes = new Set(['chart', 'subchart', 'workload', 'image']);
  const walk = (n, fn) => { fn(n); for (const c of n.children) walk(c, fn); };
  walk(root, (n) => { if (expandTypes.has(n.type)) expanded.add(n.id); });
  const el = (tag, cls, text) => {
    const e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined) e.textContent = text;
    return e;
  };
  const sevBoxes = Array.from(document.querySelectorAll('input[name=severity]'));
  const stateBoxes = Array.from(document.querySelectorAll('input[name=state]'));
  const search = document.getElementById('search');
  const graph = document.getElementById('graph');
  const status = document.getElementById('graph-status');
  let filtering = false;
  let shown = 0;

  const applyFilter = () => {
    const sev = new Set(sevBoxes.filter((b) => b.checked).map((b) => b.value));
    const states = new Set(stateBoxes.filter((b) => b.checked).map((b) => b.value));
    const words = search.value.toLowerCase().split(/\s+/).filter(Boolean);
    filtering = sev.size < sevBoxes.length || states.size < stateBoxes.length || words.length > 0;
    shown = 0;
    findings.forEach((f, i) => {
      const ok = sev.has(f.severity) && states.has(f.state) && words.every((w) => haystack[i].includes(w));
      match[i] = ok ? 1 : 0;
      shown += match[i];
    });
    // A search opens the way to what it found (and the vulnerabilities too when few enough to read).
    if (words.length > 0) walk(root, (n) => { if (n.type !== 'vuln' && count(n) > 0 && (n.type !== 'package' || shown <= 200)) expanded.add(n.id); });
  };
  const count = (n) => {
    let k = 0;
    for (const i of n.fi) k += match[i];
    return k;
  };
  const badges = (n) => {
    const b = el('span', 'badges');
    const per = new Map();
    let mitigated = 0;
    for (const i of n.fi) {
      if (!match[i]) continue;
      const f = findings[i];
      if (f.state === 'mitigated') mitigated++;
      else per.set(f.severity, (per.get(f.severity) ?? 0) + 1);
    }
    for (const s of SEVERITIES) if (per.get(s)) b.append(el('span', `badge b-${s}`, `${per.get(s)} ${s.toLowerCase()}`));
    if (mitigated) b.append(el('span', 'badge b-mitigated', `${mitigated} mitigated`));
    return b;
  };
  const details = (f) => {
    const dl = el('dl', 'vuln-details');
    const row = (k, v) => { dl.append(el('dt', '', k), el('dd', '', v)); };
    if (f.summary) row('Summary', f.summary);
    if (f.aliases.length) row('Aliases', f.aliases.join(', '));
    row('Severity', f.cvss ? `${f.severity} ${f.cvss.score} (CVSS ${f.cvss.version}) ${f.cvss.vector}` : f.severity);
    row('Package', `${f.package.ecosystem} ${f.package.name} ${f.package.version}${f.package.purl ? `  ${f.package.purl}` : ''}`);
    if (f.location) row('Found at', `${f.location.path} (layer ${f.location.layer.slice(0, 19)})`);
    row('Fix', f.fixed.length ? `upgrade to ${f.fixed.join(' or ')}` : 'no fixed version known');
    if (f.status !== 'affected') row('Status', `${f.status}${f.reason ? `: ${f.reason}` : ''}`);
    row('State', f.state);
    const m = f.mitigation;
    if (m) {
      row(m.status ? 'VEX' : 'Note', `${m.status ? `${m.status}${m.justification ? ` (${m.justification})` : ''}: ` : ''}${m.note ?? '(no note)'}`);
      row('Source', `${m.source}, ${m.trusted ? 'trusted' : 'NOT trusted (provenance not verified): the finding stays open'}`);
    } else row('Notes', 'no note or VEX statement applies');
    return dl;
  };
  const PAGE = 100;
  const KIND = { chart: 'chart', subchart: 'subchart', workload: 'workload', image: 'image', package: 'package', vuln: 'vuln' };
  const render = (n, depth, into) => {
    const k = count(n);
    if (filtering && k === 0) return;
    const wrap = el('div', `gnode depth-${depth} t-${n.type}`);
    wrap.dataset.id = n.id;
    const row = el('div', 'grow');
    const open = expanded.has(n.id);
    const hasChildren = n.type === 'vuln' || n.children.length > 0;
    if (hasChildren) {
      const t = el('button', 'toggle');
      t.type = 'button';
      t.setAttribute('aria-expanded', String(open));
      t.setAttribute('aria-label', `${open ? 'collapse' : 'expand'} ${n.label}`);
      t.dataset.toggle = n.id;
      row.append(t);
    } else row.append(el('span', 'leaf'));
    row.append(el('span', 'kind', KIND[n.type]));
    if (n.type === 'vuln') {
      const f = findings[n.finding];
      row.append(el('span', `sev sev-${f.severity}`, f.severity), el('code', 'vid', n.label));
      if (f.cvss) row.append(el('span', 'dim', String(f.cvss.score)));
      row.append(el('span', `state-${f.state}`, f.state));
      if (f.summary) row.append(el('span', 'dim', f.summary.length > 110 ? `${f.summary.slice(0, 107)}...` : f.summary));
    } else {
      row.append(el('span', n.disabled ? 'label disabled' : 'label', n.label));
      if (n.sub) row.append(el('span', 'dim mono', n.sub));
      if (n.posture) row.append(el('span', 'dim', `${n.posture} posture finding${n.posture === 1 ? '' : 's'}`));
      row.append(badges(n));
    }
    wrap.append(row);
    if (open) {
      if (n.type === 'vuln') wrap.append(details(findings[n.finding]));
      else {
        // Long lists (a package with hundreds of advisories) show their first rows and a button for the rest.
        let left = n.showAll ? Infinity : PAGE;
        let hidden = 0;
        for (const c of n.children) {
          if (filtering && count(c) === 0) continue;
          if (left-- > 0) render(c, depth + 1, wrap);
          else hidden++;
        }
        if (hidden > 0) {
          const more = el('button', 'more', `show ${hidden} more`);
          more.type = 'button';
          more.dataset.more = n.id;
          wrap.append(more);
        }
      }
    }
    into.append(wrap);
  };
  const draw = () => {
    const t0 = performance.now();
    const frag = document.createDocumentFragment();
    render(root, 0, frag);
    graph.replaceChildren(frag);
    if (!graph.firstChild) graph.append(el('div', 'empty', 'No finding matches the filter.'));
    graph.dataset.drawMs = String(Math.round(performance.now() - t0));
    status.textContent = `${shown} of ${findings.length} finding${findings.length === 1 ? '' : 's'} shown`;
  };
  const update = () => {
    applyFilter();
    draw();
    // what the graph now shows was searched for (tests wait on it: the search is debounced)
    graph.dataset.query = search.value;
  };

  graph.addEventListener('click', (e) => {
    const more = e.target.closest('[data-more]');
    if (more) {
      walk(root, (n) => { if (n.id === more.dataset.more) n.showAll = true; });
      draw();
      return;
    }
    const t = e.target.closest('[data-toggle]');
    if (!t) return;
    const id = t.dataset.toggle;
    if (expanded.has(id)) expanded.delete(id); else expanded.add(id);
    draw();
  });
  for (const b of [...sevBoxes, ...stateBoxes]) b.addEventListener('change', update);
  let timer = 0;
  search.addEventListener('input', () => { clearTimeout(timer); timer = setTimeout(update, 120); });
  document.getElementById('expand-all').addEventListener('click', () => {
    // Every level down to the vulnerabilities; their details stay closed.
    walk(root, (n) => { if (n.type !== 'vuln') expanded.add(n.id); });
    draw();
  });
  document.getElementById('collapse-all').addEventListener('click', () => { expanded.clear(); draw(); });
  update();
  document.body.dataset.renderMs = String(Math.round(performance.now() - started));
  document.body.dataset.readyAt = String(Math.round(performance.now()));
  document.body.dataset.ready = '1';
}
