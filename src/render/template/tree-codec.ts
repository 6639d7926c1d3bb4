/**
 * Parse trees as compact JSON, for the cache of parsed chart templates (src/cache/templates.ts):
 * a text's trees (its own and its {{define}}s) become nested arrays that JSON.parse reads
 * natively and `decodeTrees` turns back into the nodes the parser makes, property for
 * property. Node text that is a slice of the template text is kept as its offset; the file's
 * name and text come from the caller, so one entry serves every chart with the same file
 * (each subchart's copy of Bitnami's common library).
 *
 * Each tree's root list, and the body of each if, range and with (and of its else), is a JSON
 * text of its own in the entry, read and decoded when first walked: a render walks a fraction
 * of what it parses (postgresql: 3,600 of 15,700 nodes, the rest behind values it leaves unset
 * or false), and of the {{define}}s of Bitnami's common library it includes about a third.
 *
 * Bytes in, result out: no I/O. `decodeTrees` checks what it reads and throws on anything
 * malformed (the caller then parses the text afresh); a body found malformed when it is walked
 * is taken from a fresh parse of the text.
 */
import {
  Tree,
  type ActionNode, type BoolNode, type BreakNode, type ChainNode, type CommandNode, type CommentNode,
  type ContinueNode, type DotNode, type FieldNode, type IdentifierNode, type IfNode, type ListNode,
  type NilNode, type Node, type PipeNode, type RangeNode, type StringNode, type TemplateNode, type TextNode,
  type VariableNode, type WithNode,
} from './ast.js';
import { ItemType } from './lex.js';
import { newNumber } from './parse.js';

/** Bumped when the encoding or the parser's output changes: entries of other versions are not read. */
export const TREE_CODEC_VERSION = 3;

const enum Code {
  List, Text, Comment, Pipe, Action, Command, Identifier, Variable, Dot, Nil, Field, Chain, Bool,
  Number, String, If, Range, With, Break, Continue, Template,
  /** A body kept as a JSON text of its own: [Body, pos, start, length] in the entry's bodies. */
  Body,
}

type Enc = unknown[];

/** A string of the text: [offset] when the text holds it there, else the string itself. */
function slice(text: string, pos: number, s: string): number | string {
  return text.startsWith(s, pos) ? pos : s;
}

/** The number item type that newNumber turns into this same node again. */
function numberItem(n: Node & { type: 'number' }): ItemType {
  for (const typ of [ItemType.Number, ItemType.Complex, ItemType.CharConstant]) {
    const again = newNumber(n.tree, n.pos, n.text, typ);
    if (typeof again !== 'string' && sameNumber(again, n)) return typ;
  }
  throw new Error(`cannot encode the number ${n.text}`);
}

function sameNumber(a: Node & { type: 'number' }, b: Node & { type: 'number' }): boolean {
  return a.isInt === b.isInt && a.isUint === b.isUint && a.isFloat === b.isFloat && a.isComplex === b.isComplex
    && a.int64 === b.int64 && a.uint64 === b.uint64 && Object.is(a.float64, b.float64)
    && Object.is(a.complexRe, b.complexRe) && Object.is(a.complexIm, b.complexIm);
}

/** JSON text with every character above U+007E written as a \\u escape: entries are read as ASCII. */
export function asciiJson(json: string): string {
  return json.replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** The bodies of an entry, each a JSON text, a body after the bodies it holds. */
class Bodies {
  readonly parts: string[] = [];
  size = 0;

  add(list: ListNode, text: string): Enc {
    const json = asciiJson(JSON.stringify(encodeList(list, text, this)));
    const start = this.size;
    this.parts.push(json);
    this.size += json.length;
    return [Code.Body, list.pos, start, json.length];
  }
}

function encodeList(n: ListNode, text: string, bodies: Bodies): Enc {
  return [Code.List, n.pos, n.nodes.map((c) => encodeNode(c, text, bodies))];
}

function encodeNode(n: Node, text: string, bodies: Bodies): Enc {
  const enc = (c: Node): Enc => encodeNode(c, text, bodies);
  switch (n.type) {
    case 'list': return encodeList(n, text, bodies);
    case 'text': return [Code.Text, n.pos, n.text.length, slice(text, n.pos, n.text)];
    case 'comment': return [Code.Comment, n.pos, n.text];
    case 'pipe': return [Code.Pipe, n.pos, n.line, n.isAssign ? 1 : 0, n.decl.map(enc), n.cmds.map(enc)];
    case 'action': return [Code.Action, n.pos, n.line, enc(n.pipe)];
    case 'command': return [Code.Command, n.pos, n.args.map(enc)];
    case 'identifier': return [Code.Identifier, n.pos, n.ident];
    case 'variable': return [Code.Variable, n.pos, n.ident];
    case 'dot': return [Code.Dot, n.pos];
    case 'nil': return [Code.Nil, n.pos];
    case 'field': return [Code.Field, n.pos, n.ident];
    case 'chain': return [Code.Chain, n.pos, enc(n.node), n.field];
    case 'bool': return [Code.Bool, n.pos, n.value ? 1 : 0];
    case 'number': return [Code.Number, n.pos, n.text, numberItem(n)];
    case 'string': return [Code.String, n.pos, n.quoted, n.text];
    case 'if': case 'range': case 'with':
      return [n.type === 'if' ? Code.If : n.type === 'range' ? Code.Range : Code.With, n.pos, n.line,
        enc(n.pipe), bodies.add(n.list, text), n.elseList ? bodies.add(n.elseList, text) : null];
    case 'break': return [Code.Break, n.pos, n.line];
    case 'continue': return [Code.Continue, n.pos, n.line];
    case 'template': return [Code.Template, n.pos, n.line, n.name, n.pipe ? enc(n.pipe) : null];
    default: throw new Error(`cannot encode a ${n.type} node`);
  }
}

/**
 * The trees `parseTrees(name, text)` returned, as an entry: `<table offset>|<bodies><table>`,
 * ASCII; the table is the JSON array [version, [name, root]...]. The tree named `name` (the
 * file's own) is stored without its name, so the entry does not depend on where the file sits.
 */
export function encodeTrees(name: string, text: string, trees: Map<string, Tree>): string {
  const bodies = new Bodies();
  const table: unknown[] = [TREE_CODEC_VERSION];
  for (const [key, tree] of trees) {
    if (tree.name !== key) throw new Error('tree stored under another name');
    table.push([key === name ? null : key, tree.root ? bodies.add(tree.root, text) : null]);
  }
  return `${bodies.size}|${bodies.parts.join('')}${asciiJson(JSON.stringify(table))}`;
}

class Malformed extends Error {}
/** The owner position of a tree's root list (no if, range or with has it). */
const ROOT = -1;
const bad = (): never => { throw new Malformed('malformed tree cache entry'); };

const isInt = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && v >= 0;
function int(v: unknown): number { return isInt(v) ? v : bad(); }
function str(v: unknown): string { return typeof v === 'string' ? v : bad(); }
function arr(v: unknown): unknown[] { return Array.isArray(v) ? v : bad(); }
function strs(v: unknown): string[] {
  const a = arr(v);
  for (let i = 0; i < a.length; i++) if (typeof a[i] !== 'string') bad();
  return a as string[];
}

/**
 * A list decoded when its nodes are first read (the body of an if, range or with): its JSON
 * text is parsed then, and its own bodies wait in turn.
 */
class LazyList implements ListNode {
  readonly type = 'list';
  private decoded: Node[] | null = null;

  constructor(
    readonly tree: Tree,
    readonly pos: number,
    private readonly decoder: Decoder,
    /** The body's JSON text in the entry's bodies. */
    private readonly start: number,
    private readonly length: number,
    /** The if, range or with the body belongs to (its position; ROOT: the tree's root), and which of its lists it is. */
    private readonly owner: number,
    private readonly isElse: boolean,
  ) {}

  get nodes(): Node[] {
    return (this.decoded ??= this.decoder.body(this.start, this.length, this.pos, this.owner, this.isElse));
  }
}

class Decoder {
  /** The trees of a fresh parse of the text, made when a body turns out malformed. */
  private fresh: Map<string, Tree> | null = null;

  constructor(
    readonly text: string,
    readonly tree: Tree,
    /** The entry and where its bodies start in it. */
    private readonly entry: string,
    private readonly bodiesAt: number,
    private readonly reparse: () => Map<string, Tree>,
  ) {}

  /** Bodies referred to from here end at or before this offset (so no body holds itself). */
  private limit = 0;

  list(v: unknown): ListNode {
    const e = arr(v);
    if (e[0] !== Code.List) bad();
    return { type: 'list', tree: this.tree, pos: int(e[1]), nodes: this.nodesOf(e) };
  }

  private nodesOf(e: unknown[]): Node[] {
    const src = arr(e[2]);
    const nodes = new Array<Node>(src.length);
    for (let i = 0; i < src.length; i++) nodes[i] = this.node(src[i]);
    return nodes;
  }

  /** The root list of a tree, a body before `limit`, decoded when first walked. */
  root(v: unknown, limit: number): ListNode {
    this.limit = limit;
    return this.lazy(v, ROOT, false);
  }

  /** A body: [Body, pos, start, length]. */
  private lazy(v: unknown, owner: number, isElse: boolean): ListNode {
    const e = arr(v);
    if (e[0] !== Code.Body) bad();
    const start = int(e[2]);
    const length = int(e[3]);
    if (start + length > this.limit) bad();
    return new LazyList(this.tree, int(e[1]), this, start, length, owner, isElse);
  }

  /** A LazyList's nodes: its JSON text decoded, or when that is malformed, a fresh parse's. */
  body(start: number, length: number, pos: number, owner: number, isElse: boolean): Node[] {
    try {
      const at = this.bodiesAt + start;
      const e = arr(JSON.parse(this.entry.slice(at, at + length)));
      if (e[0] !== Code.List || e[1] !== pos) bad();
      this.limit = start;
      return this.nodesOf(e);
    } catch (err) {
      if (!(err instanceof Malformed) && !(err instanceof SyntaxError)) throw err;
      return this.fromFreshParse(owner, isElse);
    }
  }

  private fromFreshParse(owner: number, isElse: boolean): Node[] {
    this.fresh ??= this.reparse();
    const find = (n: Node | null): ListNode | null => {
      if (n === null) return null;
      if (n.type === 'list') {
        for (const c of n.nodes) {
          const found = find(c);
          if (found) return found;
        }
        return null;
      }
      if (n.type !== 'if' && n.type !== 'range' && n.type !== 'with') return null;
      if (n.pos === owner) return isElse ? n.elseList : n.list;
      return find(n.list) ?? find(n.elseList);
    };
    const fresh = this.fresh.get(this.tree.name)?.root ?? null;
    const list = owner === ROOT ? fresh : find(fresh);
    if (!list) throw new Error(`${this.tree.parseName}: a stored parse tree does not match the template's text`);
    return list.nodes;
  }

  pipe(v: unknown): PipeNode {
    const e = arr(v);
    if (e[0] !== Code.Pipe) bad();
    const decl = arr(e[4]).map((d) => this.node(d));
    for (let i = 0; i < decl.length; i++) if (decl[i]!.type !== 'variable') bad();
    const cmds = arr(e[5]).map((c) => this.node(c));
    for (let i = 0; i < cmds.length; i++) if (cmds[i]!.type !== 'command') bad();
    return {
      type: 'pipe', tree: this.tree, pos: int(e[1]), line: int(e[2]), isAssign: e[3] === 1,
      decl: decl as VariableNode[], cmds: cmds as CommandNode[],
    };
  }

  node(v: unknown): Node {
    const e = arr(v);
    const tree = this.tree;
    const pos = int(e[1]);
    switch (e[0]) {
      case Code.List: return this.list(e);
      case Code.Text: {
        const at = e[3];
        const length = int(e[2]);
        const text = typeof at === 'number' ? (int(at) + length <= this.text.length ? this.text.slice(at, at + length) : bad()) : str(at);
        if (text.length !== length) bad();
        return { type: 'text', tree, pos, text } satisfies TextNode;
      }
      case Code.Comment: return { type: 'comment', tree, pos, text: str(e[2]) } satisfies CommentNode;
      case Code.Pipe: return this.pipe(e);
      case Code.Action: return { type: 'action', tree, pos, line: int(e[2]), pipe: this.pipe(e[3]) } satisfies ActionNode;
      case Code.Command: {
        const args = arr(e[2]).map((a) => this.node(a));
        if (args.length === 0) bad();
        return { type: 'command', tree, pos, args } satisfies CommandNode;
      }
      case Code.Identifier: return { type: 'identifier', tree, pos, ident: str(e[2]) } satisfies IdentifierNode;
      case Code.Variable: return { type: 'variable', tree, pos, ident: strs(e[2]) } satisfies VariableNode;
      case Code.Dot: return { type: 'dot', tree, pos } satisfies DotNode;
      case Code.Nil: return { type: 'nil', tree, pos } satisfies NilNode;
      case Code.Field: return { type: 'field', tree, pos, ident: strs(e[2]) } satisfies FieldNode;
      case Code.Chain: return { type: 'chain', tree, pos, node: this.node(e[2]), field: strs(e[3]) } satisfies ChainNode;
      case Code.Bool: return { type: 'bool', tree, pos, value: e[2] === 1 } satisfies BoolNode;
      case Code.Number: {
        const typ = e[3];
        if (typ !== ItemType.Number && typ !== ItemType.Complex && typ !== ItemType.CharConstant) bad();
        const n = newNumber(tree, pos, str(e[2]), typ as ItemType);
        return typeof n === 'string' ? bad() : n;
      }
      case Code.String: return { type: 'string', tree, pos, quoted: str(e[2]), text: str(e[3]) } satisfies StringNode;
      case Code.If: case Code.Range: case Code.With: {
        const type = e[0] === Code.If ? 'if' : e[0] === Code.Range ? 'range' : 'with';
        const node = {
          type, tree, pos, line: int(e[2]), pipe: this.pipe(e[3]), list: this.lazy(e[4], pos, false),
          elseList: e[5] === null ? null : this.lazy(e[5], pos, true),
        };
        return node as IfNode | RangeNode | WithNode;
      }
      case Code.Break: return { type: 'break', tree, pos, line: int(e[2]) } satisfies BreakNode;
      case Code.Continue: return { type: 'continue', tree, pos, line: int(e[2]) } satisfies ContinueNode;
      case Code.Template:
        return { type: 'template', tree, pos, line: int(e[2]), name: str(e[3]), pipe: e[4] === null ? null : this.pipe(e[4]) } satisfies TemplateNode;
      default: return bad();
    }
  }
}

/**
 * The trees of an entry made by encodeTrees, for the file `name` with `text`; null when the
 * entry is of another version or malformed. `reparse` parses the text afresh (for a body found
 * malformed when it is walked).
 */
export function decodeTrees(
  entry: unknown, name: string, text: string, leftDelim: string, rightDelim: string, reparse: () => Map<string, Tree>,
): Map<string, Tree> | null {
  try {
    if (typeof entry !== 'string') return null;
    const bar = entry.indexOf('|');
    if (bar < 1 || bar > 12 || !/^\d+$/.test(entry.slice(0, bar))) return null;
    const bodiesAt = bar + 1;
    const tableAt = Number(entry.slice(0, bar));
    if (bodiesAt + tableAt > entry.length) return null;
    const data = arr(JSON.parse(entry.slice(bodiesAt + tableAt)));
    if (data[0] !== TREE_CODEC_VERSION) return null;
    const trees = new Map<string, Tree>();
    for (let i = 1; i < data.length; i++) {
      const item = arr(data[i]);
      const key = item[0];
      const root = item[1];
      const treeName = key === null ? name : str(key);
      if (trees.has(treeName)) bad();
      const tree = new Tree(treeName, name, text, leftDelim, rightDelim);
      if (root !== null) tree.root = new Decoder(text, tree, entry, bodiesAt, reparse).root(root, tableAt);
      trees.set(treeName, tree);
    }
    return trees;
  } catch (e) {
    if (e instanceof Malformed || e instanceof SyntaxError) return null;
    throw e;
  }
}
