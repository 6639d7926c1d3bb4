/**
 * Why the HTML report's impact graph is a collapsible tree and not a node-link drawing: lays out
 * the graph of a 2,000-finding scan (test/helpers/large-report.ts, real Bitnami OSV records from
 * ../shared) with dagre, the usual layered-layout library, and prints its time and the size of the
 * drawing. The tree page's own times come from test/html-report.test.ts (ready at, draw times).
 *
 * dagre is not a dependency of the project; install it beside it for this run only:
 *   npm i --no-save @dagrejs/dagre && npx tsx bench/html-graph-layout.ts
 * (or DAGRE_FROM=/dir/with/node_modules npx tsx bench/html-graph-layout.ts)
 */
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { largeReport } from '../test/helpers/large-report.js';

interface DagreGraph {
  setGraph(g: object): void;
  setDefaultEdgeLabel(f: () => object): void;
  setNode(id: string, v: { width: number; height: number }): void;
  setEdge(a: string, b: string): void;
  graph(): { width?: number; height?: number };
  nodeCount(): number;
  edgeCount(): number;
}
interface Dagre { graphlib: { Graph: new () => DagreGraph }; layout(g: DagreGraph): void }

const from = process.env.DAGRE_FROM ?? process.cwd();
let dagre: Dagre;
try {
  dagre = createRequire(join(from, 'noop.js'))('@dagrejs/dagre') as Dagre;
} catch {
  console.error(`@dagrejs/dagre not found from ${from}: npm i --no-save @dagrejs/dagre (or set DAGRE_FROM)`);
  process.exit(2);
}

const report = largeReport(2000);
const g = new dagre.graphlib.Graph();
g.setGraph({ rankdir: 'LR', nodesep: 8, ranksep: 60 });
g.setDefaultEdgeLabel(() => ({}));
const box = { width: 180, height: 24 };
const top = report.charts[0]!.path;
for (const c of report.charts) {
  g.setNode(`chart:${c.path}`, box);
  if (c.path !== top) g.setEdge(`chart:${c.path.slice(0, c.path.lastIndexOf('/charts/'))}`, `chart:${c.path}`);
}
for (const img of report.images) {
  g.setNode(`image:${img.ref}`, box);
  for (const s of img.sources) {
    const w = `workload:${s.chart}/${s.kind}/${s.name}`;
    g.setNode(w, box);
    g.setEdge(`chart:${s.chart}`, w);
    g.setEdge(w, `image:${img.ref}`);
  }
}
for (const f of report.findings) {
  const p = `package:${f.image}/${f.package.name}@${f.package.version}`;
  g.setNode(p, box);
  g.setEdge(`image:${f.image}`, p);
  g.setNode(`vuln:${f.image}/${f.id}`, box);
  g.setEdge(p, `vuln:${f.image}/${f.id}`);
}
const t = performance.now();
dagre.layout(g);
const ms = performance.now() - t;
const size = g.graph();
console.log(`${report.findings.length} findings: ${g.nodeCount()} nodes, ${g.edgeCount()} edges`);
console.log(`dagre layout: ${Math.round(ms)} ms; drawing ${Math.round(size.width ?? 0)} x ${Math.round(size.height ?? 0)} px at ${box.width}x${box.height} per node`);
