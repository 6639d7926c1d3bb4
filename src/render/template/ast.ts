/**
 * Parse tree nodes (Go's text/template/parse/node.go). `pos` is an offset into the tree's
 * `text` (a JS string index; converted to Go byte columns only when an error is reported).
 * `String()` reproduces Go's node printing, which appears in error messages.
 */
import { quote } from './strconv.js';
import { isWhiteSpaceOnly } from './unicode.js';

export class Tree {
  root: ListNode | null = null;
  constructor(
    /** Name of the template this tree defines. */
    public name: string,
    /** Name of the top-level template (file) being parsed, for error locations. */
    readonly parseName: string,
    /** Full text of the file the tree was parsed from. */
    readonly text: string,
    readonly leftDelim = '{{',
    readonly rightDelim = '}}',
  ) {}

  /** Go's ErrorContext: "parseName:line:col" (col in bytes, 0-based) and the node text. */
  errorContext(n: Node): { location: string; context: string } {
    const pos = n.pos;
    const text = this.text.slice(0, pos);
    const nl = text.lastIndexOf('\n');
    const lineStart = nl + 1;
    let byteNum = Buffer.byteLength(text.slice(lineStart), 'utf8');
    if (nl === -1) byteNum = Buffer.byteLength(text, 'utf8');
    let lineNum = 1;
    for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) lineNum++;
    return { location: `${this.parseName}:${lineNum}:${byteNum}`, context: nodeString(n) };
  }
}

export type Node =
  | ListNode | TextNode | CommentNode | PipeNode | ActionNode | CommandNode | IdentifierNode
  | VariableNode | DotNode | NilNode | FieldNode | ChainNode | BoolNode | NumberNode | StringNode
  | EndNode | ElseNode | IfNode | RangeNode | WithNode | BreakNode | ContinueNode | TemplateNode;

interface Base { readonly tree: Tree; pos: number }

export interface ListNode extends Base { readonly type: 'list'; nodes: Node[] }
export interface TextNode extends Base { readonly type: 'text'; text: string }
export interface CommentNode extends Base { readonly type: 'comment'; text: string }
export interface PipeNode extends Base {
  readonly type: 'pipe';
  line: number;
  isAssign: boolean;
  decl: VariableNode[];
  cmds: CommandNode[];
}
export interface ActionNode extends Base { readonly type: 'action'; line: number; pipe: PipeNode }
export interface CommandNode extends Base { readonly type: 'command'; args: Node[] }
export interface IdentifierNode extends Base { readonly type: 'identifier'; ident: string }
export interface VariableNode extends Base { readonly type: 'variable'; ident: string[] }
export interface DotNode extends Base { readonly type: 'dot' }
export interface NilNode extends Base { readonly type: 'nil' }
export interface FieldNode extends Base { readonly type: 'field'; ident: string[] }
export interface ChainNode extends Base { readonly type: 'chain'; node: Node; field: string[] }
export interface BoolNode extends Base { readonly type: 'bool'; value: boolean }
export interface NumberNode extends Base {
  readonly type: 'number';
  isInt: boolean;
  isUint: boolean;
  isFloat: boolean;
  isComplex: boolean;
  int64: bigint;
  uint64: bigint;
  float64: number;
  complexRe: number;
  complexIm: number;
  text: string;
}
export interface StringNode extends Base { readonly type: 'string'; quoted: string; text: string }
export interface EndNode extends Base { readonly type: 'end' }
export interface ElseNode extends Base { readonly type: 'else'; line: number }
export interface BranchFields extends Base { line: number; pipe: PipeNode; list: ListNode; elseList: ListNode | null }
export interface IfNode extends BranchFields { readonly type: 'if' }
export interface RangeNode extends BranchFields { readonly type: 'range' }
export interface WithNode extends BranchFields { readonly type: 'with' }
export interface BreakNode extends Base { readonly type: 'break'; line: number }
export interface ContinueNode extends Base { readonly type: 'continue'; line: number }
export interface TemplateNode extends Base { readonly type: 'template'; line: number; name: string; pipe: PipeNode | null }

/** Go's Node.String(). */
export function nodeString(n: Node): string {
  const parts: string[] = [];
  writeNode(n, parts);
  return parts.join('');
}

function writeNode(n: Node, sb: string[]): void {
  switch (n.type) {
    case 'list': for (const c of n.nodes) writeNode(c, sb); return;
    case 'text': sb.push(n.text); return;
    case 'comment': sb.push(n.tree.leftDelim, n.text, n.tree.rightDelim); return;
    case 'pipe':
      if (n.decl.length > 0) {
        n.decl.forEach((v, i) => { if (i > 0) sb.push(', '); writeNode(v, sb); });
        sb.push(n.isAssign ? ' = ' : ' := ');
      }
      n.cmds.forEach((c, i) => { if (i > 0) sb.push(' | '); writeNode(c, sb); });
      return;
    case 'action': sb.push(n.tree.leftDelim); writeNode(n.pipe, sb); sb.push(n.tree.rightDelim); return;
    case 'command':
      n.args.forEach((a, i) => {
        if (i > 0) sb.push(' ');
        if (a.type === 'pipe') { sb.push('('); writeNode(a, sb); sb.push(')'); } else writeNode(a, sb);
      });
      return;
    case 'identifier': sb.push(n.ident); return;
    case 'variable': sb.push(n.ident.join('.')); return;
    case 'dot': sb.push('.'); return;
    case 'nil': sb.push('nil'); return;
    case 'field': for (const id of n.ident) sb.push('.', id); return;
    case 'chain':
      if (n.node.type === 'pipe') { sb.push('('); writeNode(n.node, sb); sb.push(')'); } else writeNode(n.node, sb);
      for (const f of n.field) sb.push('.', f);
      return;
    case 'bool': sb.push(n.value ? 'true' : 'false'); return;
    case 'number': sb.push(n.text); return;
    case 'string': sb.push(n.quoted); return;
    case 'end': sb.push(n.tree.leftDelim, 'end', n.tree.rightDelim); return;
    case 'else': sb.push(n.tree.leftDelim, 'else', n.tree.rightDelim); return;
    case 'if': case 'range': case 'with':
      sb.push(n.tree.leftDelim, n.type, ' ');
      writeNode(n.pipe, sb);
      sb.push(n.tree.rightDelim);
      writeNode(n.list, sb);
      if (n.elseList) { sb.push(n.tree.leftDelim, 'else', n.tree.rightDelim); writeNode(n.elseList, sb); }
      sb.push(n.tree.leftDelim, 'end', n.tree.rightDelim);
      return;
    case 'break': sb.push(n.tree.leftDelim, 'break', n.tree.rightDelim); return;
    case 'continue': sb.push(n.tree.leftDelim, 'continue', n.tree.rightDelim); return;
    case 'template':
      sb.push(n.tree.leftDelim, 'template ', quote(n.name));
      if (n.pipe) { sb.push(' '); writeNode(n.pipe, sb); }
      sb.push(n.tree.rightDelim);
      return;
  }
}

/** parse.IsEmptyTree: only space text and comments. */
export function isEmptyTree(n: Node | null): boolean {
  if (n === null) return true;
  switch (n.type) {
    case 'comment': return true;
    case 'list': return n.nodes.every(isEmptyTree);
    case 'text': return isWhiteSpaceOnly(n.text);
    default: return false;
  }
}
