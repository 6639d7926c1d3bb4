/**
 * Parse trees as compact JSON, for the cache of parsed chart templates (tree-cache.ts): a
 * text's trees (its own and its {{define}}s) become nested arrays that JSON.parse reads
 * natively and `decodeTrees` turns back into the nodes the parser makes, property for
 * property. Node text that is a slice of the template text is kept as its offset; the file's
 * name and text come from the caller, so one entry serves every chart with the same file
 * (each subchart's copy of Bitnami's common library).
 *
 * Bytes in, result out: no I/O. `decodeTrees` checks what it reads and throws on anything
 * malformed (the caller then parses the text afresh).
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
export const TREE_CODEC_VERSION = 1;

const enum Code {
  List, Text, Comment, Pipe, Action, Command, Identifier, Variable, Dot, Nil, Field, Chain, Bool,
  Number, String, If, Range, With, Break, Continue, Template,
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

function encodeNode(n: Node, text: string): Enc {
  switch (n.type) {
    case 'list': return [Code.List, n.pos, n.nodes.map((c) => encodeNode(c, text))];
    case 'text': return [Code.Text, n.pos, n.text.length, slice(text, n.pos, n.text)];
    case 'comment': return [Code.Comment, n.pos, n.text];
    case 'pipe': return [Code.Pipe, n.pos, n.line, n.isAssign ? 1 : 0, n.decl.map((d) => encodeNode(d, text)), n.cmds.map((c) => encodeNode(c, text))];
    case 'action': return [Code.Action, n.pos, n.line, encodeNode(n.pipe, text)];
    case 'command': return [Code.Command, n.pos, n.args.map((a) => encodeNode(a, text))];
    case 'identifier': return [Code.Identifier, n.pos, n.ident];
    case 'variable': return [Code.Variable, n.pos, n.ident];
    case 'dot': return [Code.Dot, n.pos];
    case 'nil': return [Code.Nil, n.pos];
    case 'field': return [Code.Field, n.pos, n.ident];
    case 'chain': return [Code.Chain, n.pos, encodeNode(n.node, text), n.field];
    case 'bool': return [Code.Bool, n.pos, n.value ? 1 : 0];
    case 'number': return [Code.Number, n.pos, n.text, numberItem(n)];
    case 'string': return [Code.String, n.pos, n.quoted, n.text];
    case 'if': case 'range': case 'with':
      return [n.type === 'if' ? Code.If : n.type === 'range' ? Code.Range : Code.With, n.pos, n.line,
        encodeNode(n.pipe, text), encodeNode(n.list, text), n.elseList ? encodeNode(n.elseList, text) : null];
    case 'break': return [Code.Break, n.pos, n.line];
    case 'continue': return [Code.Continue, n.pos, n.line];
    case 'template': return [Code.Template, n.pos, n.line, n.name, n.pipe ? encodeNode(n.pipe, text) : null];
    default: throw new Error(`cannot encode a ${n.type} node`);
  }
}

/**
 * The trees `parseTrees(name, text)` returned, as JSON. The tree named `name` (the file's own)
 * is stored without its name, so the entry does not depend on where the file sits.
 */
export function encodeTrees(name: string, text: string, trees: Map<string, Tree>): string {
  const out: unknown[] = [TREE_CODEC_VERSION];
  for (const [key, tree] of trees) {
    if (tree.name !== key) throw new Error('tree stored under another name');
    out.push([key === name ? null : key, tree.root ? encodeNode(tree.root, text) : null]);
  }
  return JSON.stringify(out);
}

class Malformed extends Error {}
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

class Decoder {
  constructor(readonly text: string, readonly tree: Tree) {}

  list(v: unknown): ListNode {
    const e = arr(v);
    if (e[0] !== Code.List) bad();
    const nodes = arr(e[2]).map((c) => this.node(c));
    return { type: 'list', tree: this.tree, pos: int(e[1]), nodes };
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
          type, tree, pos, line: int(e[2]), pipe: this.pipe(e[3]), list: this.list(e[4]),
          elseList: e[5] === null ? null : this.list(e[5]),
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
 * The trees of an entry made by encodeTrees (its JSON text, or the value parsed from it), for
 * the file `name` with `text`; null when the entry is of another version or malformed.
 */
export function decodeTrees(entry: unknown, name: string, text: string, leftDelim: string, rightDelim: string): Map<string, Tree> | null {
  try {
    const data = arr(typeof entry === 'string' ? JSON.parse(entry) : entry);
    if (data[0] !== TREE_CODEC_VERSION) return null;
    const trees = new Map<string, Tree>();
    for (let i = 1; i < data.length; i++) {
      const entry = arr(data[i]);
      const key = entry[0];
      const root = entry[1];
      const treeName = key === null ? name : str(key);
      if (trees.has(treeName)) bad();
      const tree = new Tree(treeName, name, text, leftDelim, rightDelim);
      if (root !== null) tree.root = new Decoder(text, tree).list(root);
      trees.set(treeName, tree);
    }
    return trees;
  } catch (e) {
    if (e instanceof Malformed || e instanceof SyntaxError) return null;
    throw e;
  }
}
