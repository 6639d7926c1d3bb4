/**
 * The template parser (Go's text/template/parse/parse.go and the number/string parts of
 * node.go). `parseTrees` returns every tree a text defines (the top-level one under
 * `name`, plus {{define}}/{{block}} ones), with Go's errors:
 * `template: <file>:<line>: <message>`.
 */
import {
  Tree, nodeString, isEmptyTree,
  type ActionNode, type BoolNode, type BreakNode, type ChainNode, type CommandNode, type CommentNode,
  type ContinueNode, type DotNode, type ElseNode, type EndNode, type FieldNode, type IfNode, type ListNode,
  type NilNode, type Node, type NumberNode, type PipeNode, type RangeNode, type StringNode, type TemplateNode,
  type TextNode, type VariableNode, type WithNode, type IdentifierNode,
} from './ast.js';
import { ItemType, Lexer, itemString, type Item } from './lex.js';
import { parseFloat64, parseInt0, parseUint0, quote, unquote, unquoteChar, SyntaxError as StrconvSyntaxError } from './strconv.js';

/** A template parse error; `message` is Go's text (`template: name:line: msg`). */
export class TemplateParseError extends Error {
  override name = 'TemplateParseError';
  constructor(
    message: string,
    /** The file (top-level template) being parsed. */
    readonly parseName: string,
    /** 1-based line of the error, as Go reports it. */
    readonly line: number,
    /** The message without the "template: name:line: " prefix. */
    readonly detail: string,
  ) {
    super(message);
  }
}

export interface ParseOptions {
  leftDelim?: string;
  rightDelim?: string;
  /** Is a function with this name defined (builtins included)? */
  hasFunction: (name: string) => boolean;
  /** Keep comments in the tree (parse.ParseComments). */
  parseComments?: boolean;
  /** Do not check that functions are defined (parse.SkipFuncCheck). */
  skipFuncCheck?: boolean;
}

const MAX_STACK_DEPTH = 10000;
const MAX_PIPELINE_CMDS = 100000;

const EOF_ITEM: Item = { typ: ItemType.EOF, pos: 0, val: 'EOF', line: 0 };

/**
 * Where the parser collects the nodes of lists, pipelines and commands under construction,
 * shared by the nested parsers of one text: a finished sequence is copied out at its exact
 * length. (Pushed into their own arrays, each got 16 slots from V8 at its first push, though
 * most hold one to three nodes: a chart's parse allocated ~1.5 MB more, and trees that live
 * through the render kept the spare slots, postgresql's 3.64 MB where 2.8 MB do.)
 */
class NodeStack {
  private readonly items: unknown[] = [];
  /** The top; slots above it hold stale entries (overwritten, never trimmed: no regrowth). */
  private top = 0;

  mark(): number { return this.top; }
  push(n: unknown): void { this.items[this.top++] = n; }
  count(mark: number): number { return this.top - mark; }
  /** The nodes pushed since `mark`, removed from the stack. */
  take<T>(mark: number): T[] {
    const nodes = this.items.slice(mark, this.top) as T[];
    this.top = mark;
    return nodes;
  }
}

class TreeParser {
  token: [Item, Item, Item] = [EOF_ITEM, EOF_ITEM, EOF_ITEM];
  peekCount = 0;
  vars: string[] = ['$'];
  actionLine = 0;
  rangeDepth = 0;
  stackDepth = 0;

  constructor(
    readonly tree: Tree,
    readonly lex: Lexer,
    readonly treeSet: Map<string, Tree>,
    readonly opts: ParseOptions,
    readonly stack: NodeStack,
  ) {}

  // --- token stream

  next(): Item {
    if (this.peekCount > 0) this.peekCount--;
    else this.token[0] = this.lex.nextItem();
    return this.token[this.peekCount]!;
  }
  backup(): void { this.peekCount++; }
  backup2(t1: Item): void { this.token[1] = t1; this.peekCount = 2; }
  backup3(t2: Item, t1: Item): void { this.token[1] = t1; this.token[2] = t2; this.peekCount = 3; }
  peek(): Item {
    if (this.peekCount > 0) return this.token[this.peekCount - 1]!;
    this.peekCount = 1;
    this.token[0] = this.lex.nextItem();
    return this.token[0];
  }
  nextNonSpace(): Item {
    for (;;) {
      const t = this.next();
      if (t.typ !== ItemType.Space) return t;
    }
  }
  peekNonSpace(): Item {
    const t = this.nextNonSpace();
    this.backup();
    return t;
  }

  // --- errors

  errorf(msg: string): never {
    this.tree.root = null;
    const line = this.token[0].line;
    throw new TemplateParseError(`template: ${this.tree.parseName}:${line}: ${msg}`, this.tree.parseName, line, msg);
  }
  expect(expected: ItemType, context: string): Item {
    const t = this.nextNonSpace();
    if (t.typ !== expected) this.unexpected(t, context);
    return t;
  }
  expectOneOf(e1: ItemType, e2: ItemType, context: string): Item {
    const t = this.nextNonSpace();
    if (t.typ !== e1 && t.typ !== e2) this.unexpected(t, context);
    return t;
  }
  unexpected(token: Item, context: string): never {
    if (token.typ === ItemType.Error) {
      let extra = '';
      if (this.actionLine !== 0 && this.actionLine !== token.line) {
        extra = ` in action started at ${this.tree.parseName}:${this.actionLine}`;
        if (token.val.endsWith(' action')) extra = extra.slice(' in action'.length);
      }
      this.errorf(`${token.val}${extra}`);
    }
    this.errorf(`unexpected ${itemString(token)} in ${context}`);
  }

  // --- node constructors

  newList(pos: number): ListNode { return { type: 'list', tree: this.tree, pos: pos, nodes: [] }; }
  newPipeline(pos: number, line: number): PipeNode { return { type: 'pipe', tree: this.tree, pos: pos, line, isAssign: false, decl: [], cmds: [] }; }
  newVariable(pos: number, ident: string): VariableNode { return { type: 'variable', tree: this.tree, pos: pos, ident: ident.indexOf('.') < 0 ? [ident] : ident.split('.') }; }
  newField(pos: number, ident: string): FieldNode { return { type: 'field', tree: this.tree, pos: pos, ident: ident.indexOf('.', 1) < 0 ? [ident.slice(1)] : ident.slice(1).split('.') }; }

  // --- grammar

  parse(): void {
    const root = this.newList(this.peek().pos);
    this.tree.root = root;
    const mark = this.stack.mark();
    while (this.peek().typ !== ItemType.EOF) {
      if (this.peek().typ === ItemType.LeftDelim) {
        const delim = this.next();
        if (this.nextNonSpace().typ === ItemType.Define) {
          const newT = new Tree('definition', this.tree.parseName, this.tree.text, this.tree.leftDelim, this.tree.rightDelim);
          const p = new TreeParser(newT, this.lex, this.treeSet, this.opts, this.stack);
          p.parseDefinition();
          continue;
        }
        this.backup2(delim);
      }
      const n = this.textOrAction();
      if (n.type === 'end' || n.type === 'else') this.errorf(`unexpected ${nodeString(n)}`);
      this.stack.push(n);
    }
    root.nodes = this.stack.take(mark);
  }

  parseDefinition(): void {
    const context = 'define clause';
    const name = this.expectOneOf(ItemType.String, ItemType.RawString, context);
    this.tree.name = this.unquoteOrError(name.val);
    this.expect(ItemType.RightDelim, context);
    const [list, end] = this.itemList();
    this.tree.root = list;
    if (end.type !== 'end') this.errorf(`unexpected ${nodeString(end)} in ${context}`);
    this.add();
  }

  add(): void {
    const existing = this.treeSet.get(this.tree.name);
    if (!existing || isEmptyTree(existing.root)) {
      this.treeSet.set(this.tree.name, this.tree);
      return;
    }
    if (!isEmptyTree(this.tree.root)) this.errorf(`template: multiple definition of template ${quote(this.tree.name)}`);
  }

  itemList(): [ListNode, Node] {
    const list = this.newList(this.peekNonSpace().pos);
    const mark = this.stack.mark();
    while (this.peekNonSpace().typ !== ItemType.EOF) {
      const n = this.textOrAction();
      if (n.type === 'end' || n.type === 'else') {
        list.nodes = this.stack.take(mark);
        return [list, n];
      }
      this.stack.push(n);
    }
    this.errorf('unexpected EOF');
  }

  textOrAction(): Node {
    const token = this.nextNonSpace();
    switch (token.typ) {
      case ItemType.Text: return { type: 'text', tree: this.tree, pos: token.pos, text: token.val } satisfies TextNode;
      case ItemType.LeftDelim:
        this.actionLine = token.line;
        try {
          return this.action();
        } finally {
          this.actionLine = 0;
        }
      case ItemType.Comment: return { type: 'comment', tree: this.tree, pos: token.pos, text: token.val } satisfies CommentNode;
      default: this.unexpected(token, 'input');
    }
  }

  action(): Node {
    const token = this.nextNonSpace();
    switch (token.typ) {
      case ItemType.Block: return this.blockControl();
      case ItemType.Break: return this.breakControl(token.pos, token.line);
      case ItemType.Continue: return this.continueControl(token.pos, token.line);
      case ItemType.Else: return this.elseControl();
      case ItemType.End: return this.endControl();
      case ItemType.If: return this.ifControl();
      case ItemType.Range: return this.rangeControl();
      case ItemType.Template: return this.templateControl();
      case ItemType.With: return this.withControl();
    }
    this.backup();
    const t = this.peek();
    return { type: 'action', tree: this.tree, pos: t.pos, line: t.line, pipe: this.pipeline('command', ItemType.RightDelim) } satisfies ActionNode;
  }

  breakControl(pos: number, line: number): Node {
    const token = this.nextNonSpace();
    if (token.typ !== ItemType.RightDelim) this.unexpected(token, '{{break}}');
    if (this.rangeDepth === 0) this.errorf('{{break}} outside {{range}}');
    return { type: 'break', tree: this.tree, pos: pos, line } satisfies BreakNode;
  }

  continueControl(pos: number, line: number): Node {
    const token = this.nextNonSpace();
    if (token.typ !== ItemType.RightDelim) this.unexpected(token, '{{continue}}');
    if (this.rangeDepth === 0) this.errorf('{{continue}} outside {{range}}');
    return { type: 'continue', tree: this.tree, pos: pos, line } satisfies ContinueNode;
  }

  pipeline(context: string, end: ItemType): PipeNode {
    const token = this.peekNonSpace();
    const pipe = this.newPipeline(token.pos, token.line);
    decls: for (;;) {
      const v = this.peekNonSpace();
      if (v.typ === ItemType.Variable) {
        this.next();
        const tokenAfterVariable = this.peek();
        const next = this.peekNonSpace();
        if (next.typ === ItemType.Assign || next.typ === ItemType.Declare) {
          pipe.isAssign = next.typ === ItemType.Assign;
          this.nextNonSpace();
          pipe.decl.push(this.newVariable(v.pos, v.val));
          this.vars.push(v.val);
        } else if (next.typ === ItemType.Char && next.val === ',') {
          this.nextNonSpace();
          pipe.decl.push(this.newVariable(v.pos, v.val));
          this.vars.push(v.val);
          if (context === 'range' && pipe.decl.length < 2) {
            const p = this.peekNonSpace().typ;
            if (p === ItemType.Variable || p === ItemType.RightDelim || p === ItemType.RightParen) continue decls;
            this.errorf('range can only initialize variables');
          }
          this.errorf(`too many declarations in ${context}`);
        } else if (tokenAfterVariable.typ === ItemType.Space) {
          this.backup3(v, tokenAfterVariable);
        } else {
          this.backup2(v);
        }
      }
      break;
    }
    const cmds = this.stack.mark();
    for (;;) {
      const t = this.nextNonSpace();
      switch (t.typ) {
        case end:
          pipe.cmds = this.stack.take(cmds);
          this.checkPipeline(pipe, context);
          return pipe;
        case ItemType.Bool: case ItemType.CharConstant: case ItemType.Complex: case ItemType.Dot: case ItemType.Field:
        case ItemType.Identifier: case ItemType.Number: case ItemType.Nil: case ItemType.RawString: case ItemType.String:
        case ItemType.Variable: case ItemType.LeftParen:
          this.backup();
          this.stack.push(this.command());
          if (this.stack.count(cmds) > MAX_PIPELINE_CMDS) this.errorf('pipeline too long');
          break;
        default:
          this.unexpected(t, context);
      }
    }
  }

  checkPipeline(pipe: PipeNode, context: string): void {
    if (pipe.cmds.length === 0) this.errorf(`missing value for ${context}`);
    for (let i = 1; i < pipe.cmds.length; i++) {
      const t = pipe.cmds[i]!.args[0]!.type;
      if (t === 'bool' || t === 'dot' || t === 'nil' || t === 'number' || t === 'string') {
        this.errorf(`non executable command in pipeline stage ${i + 1}`);
      }
    }
  }

  parseControl(context: 'if' | 'range' | 'with'): { pos: number; line: number; pipe: PipeNode; list: ListNode; elseList: ListNode | null } {
    const mark = this.vars.length;
    try {
      const pipe = this.pipeline(context, ItemType.RightDelim);
      if (context === 'range') this.rangeDepth++;
      let [list, next] = this.itemList();
      if (context === 'range') this.rangeDepth--;
      let elseList: ListNode | null = null;
      if (next.type === 'else') {
        if (context === 'if' && this.peek().typ === ItemType.If) {
          this.next();
          elseList = this.newList(next.pos);
          elseList.nodes = [this.ifControl()];
        } else if (context === 'with' && this.peek().typ === ItemType.With) {
          this.next();
          elseList = this.newList(next.pos);
          elseList.nodes = [this.withControl()];
        } else {
          [elseList, next] = this.itemList();
          if (next.type !== 'end') this.errorf(`expected end; found ${nodeString(next)}`);
        }
      }
      return { pos: pipe.pos, line: pipe.line, pipe, list, elseList };
    } finally {
      this.vars.length = mark;
    }
  }

  ifControl(): IfNode {
    const c = this.parseControl('if');
    return { type: 'if', tree: this.tree, pos: c.pos, line: c.line, pipe: c.pipe, list: c.list, elseList: c.elseList };
  }
  rangeControl(): RangeNode {
    const c = this.parseControl('range');
    return { type: 'range', tree: this.tree, pos: c.pos, line: c.line, pipe: c.pipe, list: c.list, elseList: c.elseList };
  }
  withControl(): WithNode {
    const c = this.parseControl('with');
    return { type: 'with', tree: this.tree, pos: c.pos, line: c.line, pipe: c.pipe, list: c.list, elseList: c.elseList };
  }

  endControl(): EndNode {
    return { type: 'end', tree: this.tree, pos: this.expect(ItemType.RightDelim, 'end').pos };
  }

  elseControl(): ElseNode {
    const peek = this.peekNonSpace();
    if (peek.typ === ItemType.If || peek.typ === ItemType.With) return { type: 'else', tree: this.tree, pos: peek.pos, line: peek.line };
    const token = this.expect(ItemType.RightDelim, 'else');
    return { type: 'else', tree: this.tree, pos: token.pos, line: token.line };
  }

  blockControl(): TemplateNode {
    const context = 'block clause';
    const token = this.nextNonSpace();
    const name = this.parseTemplateName(token, context);
    const pipe = this.pipeline(context, ItemType.RightDelim);
    const block = new Tree(name, this.tree.parseName, this.tree.text, this.tree.leftDelim, this.tree.rightDelim);
    const p = new TreeParser(block, this.lex, this.treeSet, this.opts, this.stack);
    const [list, end] = p.itemList();
    block.root = list;
    if (end.type !== 'end') this.errorf(`unexpected ${nodeString(end)} in ${context}`);
    p.add();
    return { type: 'template', tree: this.tree, pos: token.pos, line: token.line, name, pipe };
  }

  templateControl(): TemplateNode {
    const context = 'template clause';
    const token = this.nextNonSpace();
    const name = this.parseTemplateName(token, context);
    let pipe: PipeNode | null = null;
    if (this.nextNonSpace().typ !== ItemType.RightDelim) {
      this.backup();
      pipe = this.pipeline(context, ItemType.RightDelim);
    }
    return { type: 'template', tree: this.tree, pos: token.pos, line: token.line, name, pipe };
  }

  parseTemplateName(token: Item, context: string): string {
    if (token.typ === ItemType.String || token.typ === ItemType.RawString) return this.unquoteOrError(token.val);
    this.unexpected(token, context);
  }

  unquoteOrError(s: string): string {
    try {
      return unquote(s);
    } catch (e) {
      if (e instanceof StrconvSyntaxError) this.errorf(e.message);
      throw e;
    }
  }

  command(): CommandNode {
    const cmd: CommandNode = { type: 'command', tree: this.tree, pos: this.peekNonSpace().pos, args: [] };
    const args = this.stack.mark();
    for (;;) {
      this.peekNonSpace();
      const operand = this.operand();
      if (operand) this.stack.push(operand);
      const token = this.next();
      if (token.typ === ItemType.Space) continue;
      if (token.typ === ItemType.RightDelim || token.typ === ItemType.RightParen) this.backup();
      else if (token.typ !== ItemType.Pipe) this.unexpected(token, 'operand');
      break;
    }
    if (this.stack.count(args) === 0) this.errorf('empty command');
    cmd.args = this.stack.take(args);
    return cmd;
  }

  operand(): Node | null {
    let node = this.term();
    if (!node) return null;
    if (this.peek().typ === ItemType.Field) {
      const chain: ChainNode = { type: 'chain', tree: this.tree, pos: this.peek().pos, node, field: [] };
      while (this.peek().typ === ItemType.Field) chain.field.push(this.next().val.slice(1));
      switch (node.type) {
        case 'field': node = { type: 'field', tree: this.tree, pos: chain.pos, ident: node.ident.concat(chain.field) } satisfies FieldNode; break;
        case 'variable': node = { type: 'variable', tree: this.tree, pos: chain.pos, ident: node.ident.concat(chain.field) } satisfies VariableNode; break;
        case 'bool': case 'string': case 'number': case 'nil': case 'dot':
          this.errorf(`unexpected . after term ${quote(nodeString(node))}`);
        // eslint-disable-next-line no-fallthrough
        default: node = chain;
      }
    }
    return node;
  }

  term(): Node | null {
    const token = this.nextNonSpace();
    switch (token.typ) {
      case ItemType.Identifier:
        if (!this.opts.skipFuncCheck && !this.opts.hasFunction(token.val)) this.errorf(`function ${quote(token.val)} not defined`);
        return { type: 'identifier', tree: this.tree, pos: token.pos, ident: token.val } satisfies IdentifierNode;
      case ItemType.Dot: return { type: 'dot', tree: this.tree, pos: token.pos } satisfies DotNode;
      case ItemType.Nil: return { type: 'nil', tree: this.tree, pos: token.pos } satisfies NilNode;
      case ItemType.Variable: return this.useVar(token.pos, token.val);
      case ItemType.Field: return this.newField(token.pos, token.val);
      case ItemType.Bool: return { type: 'bool', tree: this.tree, pos: token.pos, value: token.val === 'true' } satisfies BoolNode;
      case ItemType.CharConstant: case ItemType.Complex: case ItemType.Number: {
        const r = newNumber(this.tree, token.pos, token.val, token.typ);
        if (typeof r === 'string') this.errorf(r);
        return r;
      }
      case ItemType.LeftParen: {
        if (this.stackDepth >= MAX_STACK_DEPTH) this.errorf('max expression depth exceeded');
        this.stackDepth++;
        try {
          return this.pipeline('parenthesized pipeline', ItemType.RightParen);
        } finally {
          this.stackDepth--;
        }
      }
      case ItemType.String: case ItemType.RawString:
        return { type: 'string', tree: this.tree, pos: token.pos, quoted: token.val, text: this.unquoteOrError(token.val) } satisfies StringNode;
    }
    this.backup();
    return null;
  }

  useVar(pos: number, name: string): VariableNode {
    const v = this.newVariable(pos, name);
    if (this.vars.includes(v.ident[0]!)) return v;
    this.errorf(`undefined variable ${quote(v.ident[0]!)}`);
  }
}

/** Go's newNumber. Returns the node, or an error message. */
export function newNumber(tree: Tree, pos: number, text: string, typ: ItemType): NumberNode | string {
  const n: NumberNode = {
    type: 'number', tree, pos, isInt: false, isUint: false, isFloat: false, isComplex: false,
    int64: 0n, uint64: 0n, float64: 0, complexRe: 0, complexIm: 0, text,
  };
  if (typ === ItemType.CharConstant) {
    let r: { rune: number; next: number };
    try {
      r = unquoteChar(text, 1, 39);
    } catch (e) {
      if (e instanceof StrconvSyntaxError) return e.message;
      throw e;
    }
    if (text.slice(r.next) !== "'") return `malformed character constant: ${text}`;
    n.int64 = BigInt(r.rune); n.isInt = true;
    n.uint64 = BigInt(r.rune); n.isUint = true;
    n.float64 = r.rune; n.isFloat = true;
    return n;
  }
  if (typ === ItemType.Complex) {
    const m = /^([+-]?[^+-]*(?:[eEpP][+-][^+-]*)?)([+-].*)i$/.exec(text);
    const re = m ? parseFloat64(m[1]!) : null;
    const im = m ? parseFloat64(m[2]!) : null;
    if (re === null || im === null) return `illegal number syntax: ${quote(text)}`;
    n.isComplex = true;
    n.complexRe = re;
    n.complexIm = im;
    simplifyComplex(n);
    return n;
  }
  if (text.length > 0 && text[text.length - 1] === 'i') {
    const f = parseFloat64(text.slice(0, -1));
    if (f !== null) {
      n.isComplex = true;
      n.complexRe = 0;
      n.complexIm = f;
      simplifyComplex(n);
      return n;
    }
  }
  const u = parseUint0(text);
  if (u !== null) { n.isUint = true; n.uint64 = u; }
  const i = parseInt0(text);
  if (i !== null) {
    n.isInt = true;
    n.int64 = i;
    if (i === 0n) { n.isUint = true; n.uint64 = u ?? 0n; }
  }
  if (n.isInt) { n.isFloat = true; n.float64 = Number(n.int64); }
  else if (n.isUint) { n.isFloat = true; n.float64 = Number(n.uint64); }
  else {
    const f = parseFloat64(text);
    if (f !== null) {
      if (!/[.eEpP]/.test(text)) return `integer overflow: ${quote(text)}`;
      n.isFloat = true;
      n.float64 = f;
      if (Number.isInteger(f) && f >= -(2 ** 63) && f < 2 ** 63) { n.isInt = true; n.int64 = BigInt(f); }
      if (Number.isInteger(f) && f >= 0 && f < 2 ** 64) { n.isUint = true; n.uint64 = BigInt(f); }
    }
  }
  if (!n.isInt && !n.isUint && !n.isFloat) return `illegal number syntax: ${quote(text)}`;
  return n;
}

function simplifyComplex(n: NumberNode): void {
  n.isFloat = n.complexIm === 0;
  if (n.isFloat) {
    const f = n.complexRe;
    n.float64 = f;
    n.isInt = Number.isInteger(f) && f >= -(2 ** 63) && f < 2 ** 63;
    if (n.isInt) n.int64 = BigInt(f);
    n.isUint = Number.isInteger(f) && f >= 0 && f < 2 ** 64;
    if (n.isUint) n.uint64 = BigInt(f);
  }
}

/**
 * Parses `text` as the template `name` (Go's parse.Parse). Returns every tree defined
 * (top-level and {{define}}/{{block}}), keyed by template name.
 * Throws TemplateParseError.
 */
export function parseTrees(name: string, text: string, opts: ParseOptions): Map<string, Tree> {
  const treeSet = new Map<string, Tree>();
  const leftDelim = opts.leftDelim || '{{';
  const rightDelim = opts.rightDelim || '}}';
  const tree = new Tree(name, name, text, leftDelim, rightDelim);
  const lexer = new Lexer(name, text, leftDelim, rightDelim, {
    emitComment: !!opts.parseComments,
    breakOK: !opts.hasFunction('break'),
    continueOK: !opts.hasFunction('continue'),
  });
  const p = new TreeParser(tree, lexer, treeSet, opts, new NodeStack());
  p.parse();
  p.add();
  return treeSet;
}
