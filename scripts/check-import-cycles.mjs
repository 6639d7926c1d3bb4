#!/usr/bin/env node
// Finds import circles among the TypeScript modules under a directory (src/ by default).
// Every relative import counts: static, re-export, dynamic import() and type-only, because a
// circle is a structure problem whether or not it survives to run time.
// Usage: node scripts/check-import-cycles.mjs [dir]   (exit 1 when a circle exists)
import { readdirSync, readFileSync, existsSync, statSync } from 'node:fs';
import { join, dirname, resolve, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

function listModules(dir) {
  const out = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (entry.name !== 'node_modules' && !entry.name.startsWith('.')) out.push(...listModules(full));
    } else if (/\.(ts|mts|tsx)$/.test(entry.name) && !/\.d\.ts$/.test(entry.name)) {
      out.push(full);
    }
  }
  return out;
}

/** The relative module specifiers a file imports, with the line of each. */
export function importSpecifiers(fileName, text) {
  const source = ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest, false);
  const found = [];
  const add = (literal) => {
    if (literal && ts.isStringLiteralLike(literal)) {
      const { line } = source.getLineAndCharacterOfPosition(literal.getStart(source));
      found.push({ specifier: literal.text, line: line + 1 });
    }
  };
  const visit = (node) => {
    if (ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) add(node.moduleSpecifier);
    else if (ts.isImportEqualsDeclaration(node) && ts.isExternalModuleReference(node.moduleReference)) {
      add(node.moduleReference.expression);
    } else if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword) {
      add(node.arguments[0]);
    } else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument)) {
      add(node.argument.literal);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found.filter((f) => f.specifier.startsWith('.'));
}

// NodeNext specifiers name the emitted file ('./x.js'); map them back to the source file.
function resolveSpecifier(fromFile, specifier) {
  const base = resolve(dirname(fromFile), specifier);
  const candidates = [base];
  const ext = /\.(m?js|jsx)$/.exec(base);
  if (ext) {
    const stem = base.slice(0, -ext[0].length);
    candidates.push(stem + (ext[1] === 'mjs' ? '.mts' : '.ts'), stem + '.tsx');
  } else {
    candidates.push(base + '.ts', base + '.tsx', join(base, 'index.ts'));
  }
  return candidates.find((c) => existsSync(c) && statSync(c).isFile());
}

/** The import graph of the modules under dir: file (relative to dir, '/' separators) -> imported files. */
export function importGraph(dir) {
  const root = resolve(dir);
  const name = (file) => relative(root, file).split(sep).join('/');
  const graph = new Map();
  for (const file of listModules(root)) {
    const edges = new Map();
    for (const { specifier, line } of importSpecifiers(file, readFileSync(file, 'utf8'))) {
      const target = resolveSpecifier(file, specifier);
      if (target && target.startsWith(root + sep) && !edges.has(name(target))) edges.set(name(target), line);
    }
    graph.set(name(file), edges);
  }
  return graph;
}

// Tarjan's strongly connected components, iterative so a deep chain cannot overflow the stack.
function stronglyConnected(graph) {
  const index = new Map(), low = new Map(), onStack = new Set(), stack = [], components = [];
  let counter = 0;
  for (const start of [...graph.keys()].sort()) {
    if (index.has(start)) continue;
    const work = [{ node: start, next: [...(graph.get(start)?.keys() ?? [])].sort(), i: 0 }];
    index.set(start, counter); low.set(start, counter++); stack.push(start); onStack.add(start);
    while (work.length > 0) {
      const frame = work[work.length - 1];
      if (frame.i < frame.next.length) {
        const child = frame.next[frame.i++];
        if (!graph.has(child)) continue;
        if (!index.has(child)) {
          index.set(child, counter); low.set(child, counter++); stack.push(child); onStack.add(child);
          work.push({ node: child, next: [...graph.get(child).keys()].sort(), i: 0 });
        } else if (onStack.has(child)) {
          low.set(frame.node, Math.min(low.get(frame.node), index.get(child)));
        }
        continue;
      }
      work.pop();
      if (work.length > 0) {
        const parent = work[work.length - 1].node;
        low.set(parent, Math.min(low.get(parent), low.get(frame.node)));
      }
      if (low.get(frame.node) === index.get(frame.node)) {
        const component = [];
        let member;
        do { member = stack.pop(); onStack.delete(member); component.push(member); } while (member !== frame.node);
        components.push(component.sort());
      }
    }
  }
  return components;
}

// One shortest circle through `start` inside its component, for a message a reader can follow.
function shortestCircle(graph, start, members) {
  const previous = new Map([[start, null]]);
  const queue = [start];
  while (queue.length > 0) {
    const node = queue.shift();
    for (const next of [...graph.get(node).keys()].sort()) {
      if (!members.has(next)) continue;
      if (next === start) {
        const path = [start];
        for (let at = node; at !== start; at = previous.get(at)) path.splice(1, 0, at);
        return [...path, start];
      }
      if (!previous.has(next)) { previous.set(next, node); queue.push(next); }
    }
  }
  return [start, start];
}

/**
 * The import circles under dir: one entry per group of modules that import each other (a strongly
 * connected component), with its sorted members and one concrete circle through the first member.
 */
export function findImportCircles(dir) {
  const graph = importGraph(dir);
  return stronglyConnected(graph)
    .filter((c) => c.length > 1 || graph.get(c[0]).has(c[0]))
    .map((members) => ({ members, circle: shortestCircle(graph, members[0], new Set(members)) }))
    .sort((a, b) => a.members[0].localeCompare(b.members[0]));
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const dir = process.argv[2] ?? join(dirname(fileURLToPath(import.meta.url)), '..', 'src');
  const circles = findImportCircles(dir);
  for (const { members, circle } of circles) {
    console.log(`import circle among ${members.length} modules: ${circle.join(' -> ')}`);
    if (members.length > circle.length - 1) console.log(`  all members: ${members.join(', ')}`);
  }
  if (circles.length > 0) process.exit(1);
  console.log(`no import circles under ${relative(process.cwd(), dir) || '.'}`);
}
