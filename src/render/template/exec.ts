/**
 * The executor (Go's text/template exec.go and template.go) and the template set API.
 *
 * ```ts
 * const set = new TemplateSet({ funcs: myFuncs, missingKey: 'zero' });
 * set.parse('chart/templates/a.yaml', textA).parse('chart/templates/_helpers.tpl', textB);
 * const out = set.execute('chart/templates/a.yaml', data);
 * ```
 *
 * Semantics follow Go 1.25 (as used by helm v4.1.4): missing keys, nil interfaces vs no
 * value, and/or short-circuit, break/continue, range over ints, `else with`, error
 * texts and positions (`template: file:line:col: executing "name" at <node>: msg`).
 * Limits: template call depth, evaluation steps and output size (ExecLimits); exceeding
 * them raises ExecLimitError instead of hanging or overflowing the JS stack.
 */
import { Tree, isEmptyTree, nodeString, type ChainNode, type CommandNode, type FieldNode, type IdentifierNode, type ListNode, type Node, type NumberNode, type PipeNode, type RangeNode, type TemplateNode, type VariableNode } from './ast.js';
import { TemplateParseError, parseTrees } from './parse.js';
import { TREE_CODEC_VERSION, decodeTrees, encodeTrees } from './tree-codec.js';
import { quote } from './strconv.js';
import { formatValue, sprint } from './fmt.js';
import {
  BUILTINS, GoError, GoFunc, coerceResult, truth, type FuncMap,
} from './funcs.js';
import {
  GoComplex, GoScalar, GoStruct, GoType, Iface, T, boxFor, fieldsOf, indirect, isGoFunc, isGoMap, isIntKind, isUintKind,
  isTrue, mapGet, sortedKeys, staticTypeName, typeOf, unbox, zeroOf,
  type GoMap, type GoValue, type RawValue, type Value,
} from './value.js';

/** What a context-aware function receives first (a function declared with `{ context: true }`; see funcs.ts). */
export interface CallContext {
  /** Executes a template of the current set with `data` as dot; shares limits and budget. */
  execute(name: string, data: Value): string;
  /** Executes a template of another set (e.g. a clone made by `tpl`), sharing limits and budget. */
  executeIn(set: TemplateSet, name: string, data: Value): string;
  /** The set being executed (clone it to parse more text, as helm's `tpl` does). */
  readonly set: TemplateSet;
  /** Name of the template being executed. */
  readonly templateName: string;
}

export type MissingKey = 'default' | 'invalid' | 'zero' | 'error';

export interface ExecLimits {
  /** Maximum nesting of {{template}} calls (Go: 100000). */
  maxExecDepth: number;
  /** Maximum evaluation steps (nodes walked + commands evaluated) per top-level execute. */
  maxSteps: number;
  /** Maximum output, in UTF-16 code units, across one top-level execute (nested executes included). */
  maxOutput: number;
}

export const DEFAULT_LIMITS: Readonly<ExecLimits> = Object.freeze({
  maxExecDepth: 100000,
  maxSteps: 50_000_000,
  maxOutput: 64 * 1024 * 1024,
});

/** Shared counters across nested executes (include/tpl). */
export interface ExecBudget { steps: number; output: number }

export interface ExecOptions {
  limits?: Partial<ExecLimits>;
  /** Pass the budget of an enclosing execution to share its limits. */
  budget?: ExecBudget;
}

/**
 * Parsed trees kept between runs (src/cache/templates.ts), as tree-codec entries by the text and
 * what else decides its parse (`identity`: delimiters, function names, parser build); `name` is
 * the file the text is parsed as.
 */
export interface ParsedTreeStore {
  /** The entry's text (tree-codec's encodeTrees made it). */
  get(identity: string, text: string, name: string): unknown;
  /** `encode` gives the JSON; the store calls it only if it keeps the trees. */
  put(identity: string, text: string, encode: () => string, name: string): void;
}

/** The build of the parser (scripts/build.mjs defines it from the parser's sources). */
declare const __PARSER_BUILD__: string | undefined;
const PARSER_BUILD = typeof __PARSER_BUILD__ === 'string' ? __PARSER_BUILD__ : 'source';

export interface TemplateSetOptions {
  /** Functions added to the builtins (later additions override earlier ones). */
  funcs?: FuncMap;
  /** Go's Option("missingkey=..."). Default 'default' (= invalid: prints <no value>). */
  missingKey?: MissingKey;
  /** Name of the set's root template, used in "no template %q associated with template %q". */
  name?: string;
  leftDelim?: string;
  rightDelim?: string;
}

/**
 * An execution error. `message` is Go's text; the parts are exposed for reformatting
 * (helm: `execution error at (file:line:col): msg`).
 */
export class ExecError extends Error {
  override name = 'ExecError';
  constructor(
    message: string,
    /** Name of the template being executed (Go's ExecError.Name). */
    readonly templateName: string,
    /** The message after the location prefix (for function errors: "error calling X: ..."). */
    readonly detail: string,
    /** File (parse name), 1-based line and 0-based byte column, when the error has a node. */
    readonly location?: { file: string; line: number; col: number },
    /** The node's text, as in `at <...>`. */
    readonly context?: string,
    /** The error thrown by a function (for "error calling X: ..."), possibly another ExecError. */
    override readonly cause?: unknown,
  ) {
    super(message);
  }
}

/** A limit was hit (depth, steps, output). Propagates through function calls unwrapped. */
export class ExecLimitError extends ExecError {
  override name = 'ExecLimitError';
}

const MISSING: unique symbol = Symbol('missingVal');
type Final = RawValue | typeof MISSING;

const enum Ctl { None = 0, Break = 1, Continue = 2 }

function isStackOverflow(e: unknown): boolean {
  // No regex here: a regex compiled lazily near the stack limit overflows itself.
  return e instanceof RangeError && e.message.includes('call stack');
}
isStackOverflow(new RangeError('Maximum call stack size exceeded')); // warm up

interface Run {
  set: TemplateSet;
  funcs: Map<string, GoFunc>;
  missingKey: MissingKey;
  limits: ExecLimits;
  budget: ExecBudget;
  out: string[];
}

interface Variable { name: string; value: RawValue }

class State {
  node: Node | null = null;

  constructor(
    readonly run: Run,
    readonly tmplName: string,
    public vars: Variable[],
    readonly depth: number,
  ) {}

  // --- variables

  push(name: string, value: RawValue): void { this.vars.push({ name, value }); }
  mark(): number { return this.vars.length; }
  pop(mark: number): void { this.vars.length = mark; }
  setVar(name: string, value: RawValue): void {
    for (let i = this.vars.length - 1; i >= 0; i--) {
      if (this.vars[i]!.name === name) { this.vars[i]!.value = value; return; }
    }
    this.errorf(`undefined variable: ${name}`);
  }
  setTopVar(n: number, value: RawValue): void { this.vars[this.vars.length - n]!.value = value; }
  varValue(name: string): RawValue {
    for (let i = this.vars.length - 1; i >= 0; i--) {
      if (this.vars[i]!.name === name) return this.vars[i]!.value;
    }
    this.errorf(`undefined variable: ${name}`);
  }

  // --- errors and limits

  at(node: Node): void { this.node = node; }

  errorf(detail: string, cause?: unknown, Cls: typeof ExecError = ExecError): never {
    if (this.node === null) {
      throw new Cls(`template: ${this.tmplName}: ${detail}`, this.tmplName, detail, undefined, undefined, cause);
    }
    const { location, context } = this.node.tree.errorContext(this.node);
    const parts = location.split(':');
    const col = Number(parts.pop());
    const line = Number(parts.pop());
    throw new Cls(
      `template: ${location}: executing ${quote(this.tmplName)} at <${context}>: ${detail}`,
      this.tmplName, detail, { file: parts.join(':'), line, col }, context, cause,
    );
  }

  step(): void {
    if (++this.run.budget.steps > this.run.limits.maxSteps) {
      this.errorf(`execution exceeded the limit of ${this.run.limits.maxSteps} steps`, undefined, ExecLimitError);
    }
  }

  write(s: string): void {
    if (s.length === 0) return;
    this.run.budget.output += s.length;
    if (this.run.budget.output > this.run.limits.maxOutput) {
      this.errorf(`output exceeded the limit of ${this.run.limits.maxOutput} characters`, undefined, ExecLimitError);
    }
    this.run.out.push(s);
  }

  // --- walk

  walk(dot: RawValue, node: Node): Ctl {
    this.at(node);
    this.step();
    switch (node.type) {
      case 'action': {
        const val = this.evalPipeline(dot, node.pipe);
        if (node.pipe.decl.length === 0) this.printValue(node, val);
        return Ctl.None;
      }
      case 'break': return Ctl.Break;
      case 'continue': return Ctl.Continue;
      case 'comment': return Ctl.None;
      case 'if': case 'with':
        return this.walkIfOrWith(node.type === 'with', dot, node.pipe, node.list, node.elseList);
      case 'list': {
        // indexed loops here and below: in code V8 has not optimised, for-of allocates an
        // iterator and a result object per step (~4 MB of a kafka render, with destructuring)
        const nodes = node.nodes;
        for (let i = 0; i < nodes.length; i++) {
          const c = this.walk(dot, nodes[i]!);
          if (c !== Ctl.None) return c;
        }
        return Ctl.None;
      }
      case 'range': return this.walkRange(dot, node);
      case 'template': this.walkTemplate(dot, node); return Ctl.None;
      case 'text': this.write(node.text); return Ctl.None;
      default:
        this.errorf(`unknown node: ${nodeString(node)}`);
    }
  }

  walkIfOrWith(isWith: boolean, dot: RawValue, pipe: PipeNode, list: ListNode, elseList: ListNode | null): Ctl {
    const mark = this.mark();
    try {
      const val = this.evalPipeline(dot, pipe);
      if (isTrue(unbox(val))) return this.walk(isWith ? val : dot, list);
      if (elseList) return this.walk(dot, elseList);
      return Ctl.None;
    } finally {
      this.pop(mark);
    }
  }

  walkRange(dot: RawValue, r: RangeNode): Ctl {
    this.at(r);
    const mark0 = this.mark();
    try {
      const val = indirect(this.evalPipeline(dot, r.pipe))[0];
      const mark = this.mark();
      const decl = r.pipe.decl;
      const oneIteration = (index: RawValue, elem: RawValue): Ctl => {
        if (decl.length > 0) {
          if (r.pipe.isAssign) this.setVar(decl[0]!.ident[0]!, decl.length > 1 ? index : elem);
          else this.setTopVar(1, elem);
        }
        if (decl.length > 1) {
          if (r.pipe.isAssign) this.setVar(decl[1]!.ident[0]!, elem);
          else this.setTopVar(2, index);
        }
        try {
          return this.walk(elem, r.list);
        } finally {
          this.pop(mark);
        }
      };
      if (val !== undefined && val !== null) {
        const t = typeOf(val);
        const k = t.kind;
        if (isIntKind(k) || isUintKind(k)) {
          if (decl.length > 1) this.errorf(`can't use ${formatValue(val)} to iterate over more than one variable`);
          const n = typeof val === 'bigint' ? val : ((val as GoScalar).v as bigint);
          if (n > 0n) {
            for (let i = 0n; i < n; i++) {
              const c = oneIteration(undefined, typeof val === 'bigint' ? i : new GoScalar(t, i));
              if (c === Ctl.Break) break;
            }
            return Ctl.None;
          }
        } else if (k === 'slice' || k === 'array') {
          const arr: GoValue[] = val instanceof Uint8Array ? Array.from(val, (b) => new GoScalar(T.uint8, BigInt(b))) : (val as GoValue[]);
          if (arr.length > 0) {
            const elemT = t.elem ?? T.iface;
            for (let i = 0; i < arr.length; i++) {
              const c = oneIteration(BigInt(i), boxFor(elemT, arr[i]!));
              if (c === Ctl.Break) break;
            }
            return Ctl.None;
          }
        } else if (k === 'map') {
          const m = val as GoMap;
          const keys = sortedKeys(m);
          if (keys.length > 0) {
            const elemT = t.elem ?? T.iface;
            const keyT = t.key ?? T.string;
            for (let i = 0; i < keys.length; i++) {
              const key = keys[i]!;
              const c = oneIteration(keyT === T.string ? key : new GoScalar(keyT, key), boxFor(elemT, m[key]!));
              if (c === Ctl.Break) break;
            }
            return Ctl.None;
          }
        } else {
          this.errorf(`range can't iterate over ${formatValue(val)}`);
        }
      } else if (val === null) {
        this.errorf(`range can't iterate over ${formatValue(val)}`);
      }
      if (r.elseList) {
        const c = this.walk(dot, r.elseList);
        return c === Ctl.Break ? Ctl.None : c;
      }
      return Ctl.None;
    } finally {
      this.pop(mark0);
    }
  }

  walkTemplate(dot: RawValue, t: TemplateNode): void {
    this.at(t);
    const tree = this.run.set.lookup(t.name);
    if (!tree) this.errorf(`template ${quote(t.name)} not defined`);
    if (this.depth >= this.run.limits.maxExecDepth) this.errorf(`exceeded maximum template depth (${this.run.limits.maxExecDepth})`);
    const newDot = this.evalPipeline(dot, t.pipe);
    const ns = new State(this.run, tree.name, [{ name: '$', value: newDot }], this.depth + 1);
    ns.node = this.node;
    try {
      ns.walk(newDot, tree.root!);
    } catch (e) {
      if (isStackOverflow(e)) {
        this.at(t);
        this.errorf(`exceeded maximum template depth (${this.run.limits.maxExecDepth})`);
      }
      throw e;
    }
  }

  // --- evaluation

  evalPipeline(dot: RawValue, pipe: PipeNode | null): RawValue {
    if (!pipe) return undefined;
    this.at(pipe);
    let value: Final = MISSING;
    const cmds = pipe.cmds;
    for (let i = 0; i < cmds.length; i++) {
      value = this.evalCommand(dot, cmds[i]!, value);
      if (value instanceof Iface) value = value.v;
      else if (value === null) value = undefined;
    }
    const v = value as RawValue;
    const decl = pipe.decl;
    for (let i = 0; i < decl.length; i++) {
      if (pipe.isAssign) this.setVar(decl[i]!.ident[0]!, v);
      else this.push(decl[i]!.ident[0]!, v);
    }
    return v;
  }

  notAFunction(args: Node[], final: Final): void {
    if (args.length > 1 || final !== MISSING) this.errorf(`can't give argument to non-function ${nodeString(args[0]!)}`);
  }

  evalCommand(dot: RawValue, cmd: CommandNode, final: Final): RawValue {
    this.step();
    const args = cmd.args;
    const first = args[0]!;
    switch (first.type) {
      case 'field': return this.evalFieldNode(dot, first, args, final);
      case 'chain': return this.evalChainNode(dot, first, args, final);
      case 'identifier': return this.evalFunction(dot, first, cmd, args, final);
      case 'pipe':
        this.notAFunction(args, final);
        return this.evalPipeline(dot, first);
      case 'variable': return this.evalVariableNode(dot, first, args, final);
    }
    this.at(first);
    this.notAFunction(args, final);
    switch (first.type) {
      case 'bool': return first.value;
      case 'dot': return dot;
      case 'nil': this.errorf('nil is not a command');
      // eslint-disable-next-line no-fallthrough
      case 'number': return this.idealConstant(first);
      case 'string': return first.text;
    }
    this.errorf(`can't evaluate command ${quote(nodeString(first))}`);
  }

  idealConstant(c: NumberNode): RawValue {
    this.at(c);
    if (c.isComplex) return new GoComplex(c.complexRe, c.complexIm);
    const text = c.text;
    if (c.isFloat && !isHexInt(text) && text[0] !== "'" && /[.eEpP]/.test(text)) return c.float64;
    if (c.isInt) return c.int64;
    if (c.isUint) this.errorf(`${text} overflows int`);
    return undefined;
  }

  evalFieldNode(dot: RawValue, field: FieldNode, args: Node[] | null, final: Final): RawValue {
    this.at(field);
    return this.evalFieldChain(dot, dot, field, field.ident, args, final);
  }

  evalChainNode(dot: RawValue, chain: ChainNode, args: Node[] | null, final: Final): RawValue {
    this.at(chain);
    if (chain.field.length === 0) this.errorf('internal error: no fields in evalChainNode');
    if (chain.node.type === 'nil') this.errorf(`indirection through explicit nil in ${nodeString(chain)}`);
    const pipe = this.evalArg(dot, null, chain.node);
    return this.evalFieldChain(dot, pipe, chain, chain.field, args, final);
  }

  evalVariableNode(dot: RawValue, variable: VariableNode, args: Node[] | null, final: Final): RawValue {
    this.at(variable);
    const value = this.varValue(variable.ident[0]!);
    if (variable.ident.length === 1) {
      if (args) this.notAFunction(args, final);
      else if (final !== MISSING) this.errorf(`can't give argument to non-function ${nodeString(variable)}`);
      return value;
    }
    return this.evalFieldChain(dot, value, variable, variable.ident.slice(1), args, final);
  }

  evalFieldChain(dot: RawValue, receiver: RawValue, node: Node, ident: string[], args: Node[] | null, final: Final): RawValue {
    const n = ident.length;
    for (let i = 0; i < n - 1; i++) receiver = this.evalField(dot, ident[i]!, node, null, MISSING, receiver);
    return this.evalField(dot, ident[n - 1]!, node, args, final, receiver);
  }

  evalFunction(dot: RawValue, node: IdentifierNode, cmd: Node, args: Node[] | null, final: Final): RawValue {
    this.at(node);
    const name = node.ident;
    let fn = this.run.funcs.get(name);
    let isBuiltin = false;
    if (!fn) {
      fn = Object.prototype.hasOwnProperty.call(BUILTINS, name) ? BUILTINS[name] : undefined;
      isBuiltin = fn !== undefined;
    }
    if (!fn) this.errorf(`${quote(name)} is not a defined function`);
    return this.evalCall(dot, fn, isBuiltin, cmd, name, args, final);
  }

  evalField(dot: RawValue, fieldName: string, node: Node, args: Node[] | null, final: Final, receiver: RawValue): RawValue {
    if (receiver === undefined) {
      if (this.run.missingKey === 'error') this.errorf(`nil data; no entry for key ${quote(fieldName)}`);
      return undefined;
    }
    const typName = staticTypeName(receiver);
    const ind = indirect(receiver);
    const recv = ind[0];
    const isNil = ind[1];
    if (recv === null) this.errorf(`nil pointer evaluating ${typName}.${fieldName}`);
    const v = recv as GoValue;
    const t = typeOf(v);
    const method = t.methods.get(fieldName);
    if (method) {
      const bound = new GoFunc(method.type.sig!, (...a: RawValue[]) => method.impl(v, ...(a as Value[])));
      return this.evalCall(dot, bound, false, node, fieldName, args, final);
    }
    const hasArgs = (args !== null && args.length > 1) || final !== MISSING;
    if (v instanceof GoStruct) {
      const decl = fieldsOf(v.structType);
      const declared = decl.find(([n]) => n === fieldName);
      const present = declared !== undefined || Object.prototype.hasOwnProperty.call(v.fields, fieldName);
      if (present) {
        if (v.pointer && isNil) this.errorf(`nil pointer evaluating ${typName}.${fieldName}`);
        if (!/^\p{Lu}/u.test(fieldName)) this.errorf(`${fieldName} is an unexported field of struct type ${typName}`);
        if (hasArgs) this.errorf(`${fieldName} has arguments but cannot be invoked as function`);
        const fv = Object.prototype.hasOwnProperty.call(v.fields, fieldName) ? v.fields[fieldName]! : declared ? zeroOf(declared[1]) ?? null : null;
        return declared ? boxFor(declared[1], fv) : fv;
      }
    } else if (isGoMap(v) && t.key?.kind === 'string') {
      if (hasArgs) this.errorf(`${fieldName} is not a method but has arguments`);
      const hit = mapGet(v, fieldName);
      const elem = t.elem ?? T.iface;
      if (hit !== undefined) return boxFor(elem, hit);
      switch (this.run.missingKey) {
        case 'zero': return zeroOf(elem);
        case 'error': this.errorf(`map has no entry for key ${quote(fieldName)}`);
        // eslint-disable-next-line no-fallthrough
        default: return undefined;
      }
    }
    this.errorf(`can't evaluate field ${fieldName} in type ${typName}`);
  }

  evalCall(dot: RawValue, fn: GoFunc, isBuiltin: boolean, node: Node, name: string, argsIn: Node[] | null, final: Final): RawValue {
    const args = argsIn ? argsIn.slice(1) : [];
    const sig = fn.sig;
    const numParams = sig.params.length;
    const numIn = args.length + (final !== MISSING ? 1 : 0);
    let numFixed = args.length;
    if (sig.variadic) {
      numFixed = numParams;
      if (numIn < numFixed) this.errorf(`wrong number of args for ${name}: want at least ${numParams} got ${args.length}`);
    } else if (numIn !== numParams) {
      this.errorf(`wrong number of args for ${name}: want ${numParams} got ${numIn}`);
    }

    if (isBuiltin && (name === 'and' || name === 'or')) {
      let v: RawValue;
      for (let i = 0; i < args.length; i++) {
        v = this.evalArg(dot, T.reflectValue, args[i]!);
        if (truth(v) === (name === 'or')) return v;
      }
      if (final !== MISSING) v = this.validateType(final, T.reflectValue);
      return v;
    }

    const argv: RawValue[] = [];
    let i = 0;
    for (; i < numFixed && i < args.length; i++) argv.push(this.evalArg(dot, sig.params[i]!, args[i]!));
    if (sig.variadic) for (; i < args.length; i++) argv.push(this.evalArg(dot, sig.variadic, args[i]!));
    if (final !== MISSING) {
      let t: GoType;
      if (sig.variadic) t = numIn - 1 < numFixed ? sig.params[numIn - 1]! : sig.variadic;
      else t = sig.params[numParams - 1]!;
      argv.push(this.validateType(final, t));
    }

    const onCall = this.run.set.onCall;
    if (onCall !== undefined) onCall(name, argv);
    let result: RawValue;
    try {
      if (isBuiltin && name === 'call') {
        const calleeName = args.length === 0 ? reflectValueString(final as RawValue) : nodeString(args[0]!);
        result = this.callFn(calleeName, argv[0], argv.slice(1));
      } else if (fn.options.context) {
        result = fn.impl(this.callContext(), ...argv);
      } else {
        result = fn.impl(...argv);
      }
    } catch (e) {
      if (e instanceof ExecLimitError || isStackOverflow(e)) throw e;
      this.at(node);
      this.errorf(`error calling ${name}: ${errorMessage(e)}`, e);
    }
    return coerceResult(result, sig.results[0]!);
  }

  callContext(): CallContext {
    const run = this.run;
    const depth = this.depth;
    return {
      templateName: this.tmplName,
      set: run.set,
      execute: (name: string, data: Value): string =>
        run.set.executeWith(name, data, { budget: run.budget, limits: run.limits }, depth + 1),
      executeIn: (set: TemplateSet, name: string, data: Value): string =>
        set.executeWith(name, data, { budget: run.budget, limits: run.limits }, depth + 1),
    };
  }

  /** Go's `call` builtin. */
  callFn(name: string, fn0: RawValue, args: RawValue[]): RawValue {
    const fn = unbox(fn0);
    if (fn === undefined) throw new GoError('call of nil');
    if (!isGoFunc(fn)) throw new GoError(`non-function ${name} of type ${typeOf(fn).name}`);
    const f = fn as GoFunc;
    const sig = f.sig;
    const numIn = sig.params.length;
    if (sig.variadic) {
      if (args.length < numIn) throw new GoError(`wrong number of args for ${name}: got ${args.length} want at least ${numIn}`);
    } else if (args.length !== numIn) {
      throw new GoError(`wrong number of args for ${name}: got ${args.length} want ${numIn}`);
    }
    const argv = args.map((a, i) => {
      const argType = !sig.variadic || i < numIn ? sig.params[i]! : sig.variadic;
      try {
        return prepareArg(unbox(a), argType);
      } catch (e) {
        throw new GoError(`arg ${i}: ${errorMessage(e)}`);
      }
    });
    const onCall = this.run.set.onCall;
    if (onCall !== undefined) onCall(name, argv);
    const r = f.options.context ? f.impl(this.callContext(), ...argv) : f.impl(...argv);
    return coerceResult(r, sig.results[0]!);
  }

  validateType(value: Final, typ: GoType | null): RawValue {
    if (value === MISSING) value = undefined;
    if (value === undefined) {
      if (typ === null) return undefined;
      if (canBeNil(typ)) return typ === T.reflectValue ? undefined : typ.kind === 'interface' ? null : zeroOf(typ);
      this.errorf(`invalid value; expected ${typ.name}`);
    }
    if (typ === null || typ === T.reflectValue) return value;
    if (typ.kind === 'interface' && typ !== T.error) return value instanceof Iface ? value.v : value;
    let v: Value;
    if (value instanceof Iface) {
      v = value.v;
      if (assignable(typeOf(v), typ)) return v;
    } else if (value === null) {
      this.errorf(`wrong type for value; expected ${typ.name}; got interface {}`);
    } else {
      v = value;
      if (assignable(typeOf(v), typ)) return v;
    }
    if (v instanceof GoStruct && v.pointer && assignable(v.structType, typ)) {
      if (v.nil) this.errorf(`dereference of nil pointer of type ${typ.name}`);
      return new GoStruct(v.structType, v.fields);
    }
    this.errorf(`wrong type for value; expected ${typ.name}; got ${typeOf(v as GoValue).name}`);
  }

  evalArg(dot: RawValue, typ: GoType | null, n: Node): RawValue {
    this.at(n);
    switch (n.type) {
      case 'dot': return this.validateType(dot, typ);
      case 'nil':
        if (typ && canBeNil(typ)) return typ === T.reflectValue ? undefined : typ.kind === 'interface' ? null : zeroOf(typ);
        this.errorf(`cannot assign nil to ${typ ? typ.name : '<nil>'}`);
      // eslint-disable-next-line no-fallthrough
      case 'field': return this.validateType(this.evalFieldNode(dot, n, [n], MISSING), typ);
      case 'variable': return this.validateType(this.evalVariableNode(dot, n, null, MISSING), typ);
      case 'pipe': return this.validateType(this.evalPipeline(dot, n), typ);
      case 'identifier': return this.validateType(this.evalFunction(dot, n, n, null, MISSING), typ);
      case 'chain': return this.validateType(this.evalChainNode(dot, n, null, MISSING), typ);
    }
    if (typ === null) this.errorf(`can't handle ${nodeString(n)} for arg of type <nil>`);
    const k = typ.kind;
    if (k === 'bool') {
      if (n.type === 'bool') return typ === T.bool ? n.value : new GoScalar(typ, n.value);
      this.errorf(`expected bool; found ${nodeString(n)}`);
    }
    if (k === 'complex64' || k === 'complex128') {
      if (n.type === 'number' && n.isComplex) return new GoComplex(n.complexRe, n.complexIm, typ);
      this.errorf(`expected complex; found ${nodeString(n)}`);
    }
    if (k === 'float32' || k === 'float64') {
      if (n.type === 'number' && n.isFloat) return typ === T.float64 ? n.float64 : new GoScalar(typ, k === 'float32' ? Math.fround(n.float64) : n.float64);
      this.errorf(`expected float; found ${nodeString(n)}`);
    }
    if (isIntKind(k)) {
      if (n.type === 'number' && n.isInt) return typ === T.int ? n.int64 : new GoScalar(typ, BigInt.asIntN(intBits(k), n.int64));
      this.errorf(`expected integer; found ${nodeString(n)}`);
    }
    if (isUintKind(k)) {
      if (n.type === 'number' && n.isUint) return new GoScalar(typ, BigInt.asUintN(intBits(k), n.uint64));
      this.errorf(`expected unsigned integer; found ${nodeString(n)}`);
    }
    if (k === 'string') {
      if (n.type === 'string') return typ === T.string ? n.text : new GoScalar(typ, n.text);
      this.errorf(`expected string; found ${nodeString(n)}`);
    }
    if ((k === 'interface' && typ !== T.error) || typ === T.reflectValue) return this.evalEmptyInterface(dot, n);
    this.errorf(`can't handle ${nodeString(n)} for arg of type ${typ.name}`);
  }

  evalEmptyInterface(dot: RawValue, n: Node): RawValue {
    this.at(n);
    switch (n.type) {
      case 'bool': return n.value;
      case 'dot': return dot;
      case 'field': return this.evalFieldNode(dot, n, null, MISSING);
      case 'identifier': return this.evalFunction(dot, n, n, null, MISSING);
      case 'nil': this.errorf("evalEmptyInterface: nil (can't happen)");
      // eslint-disable-next-line no-fallthrough
      case 'number': return this.idealConstant(n);
      case 'string': return n.text;
      case 'variable': return this.evalVariableNode(dot, n, null, MISSING);
      case 'pipe': return this.evalPipeline(dot, n);
    }
    this.errorf(`can't handle assignment of ${nodeString(n)} to empty interface argument`);
  }

  printValue(n: Node, v0: RawValue): void {
    this.at(n);
    let v = v0 instanceof Iface ? v0.v : v0;
    switch (typeof v) {
      case 'string': this.write(v); return;
      case 'bigint': case 'number': case 'boolean': this.write(formatValue(v)); return;
      case 'undefined': this.write('<no value>'); return;
    }
    if (v instanceof GoStruct && v.pointer && !v.nil) v = new GoStruct(v.structType, v.fields);
    if (v !== null && typeof v === 'object') {
      const t = typeOf(v);
      if ((t.kind === 'func' || t.kind === 'chan') && !t.methods.has('String') && !t.methods.has('Error')) {
        this.errorf(`can't print ${nodeString(n)} of type ${t.name}`);
      }
    }
    this.write(sprint([v === null ? null : v]));
  }
}

function intBits(k: string): number {
  switch (k) {
    case 'int8': case 'uint8': return 8;
    case 'int16': case 'uint16': return 16;
    case 'int32': case 'uint32': return 32;
    default: return 64;
  }
}

function isHexInt(s: string): boolean {
  return s.length > 2 && s[0] === '0' && (s[1] === 'x' || s[1] === 'X') && !/[pP]/.test(s);
}

function canBeNil(t: GoType): boolean {
  switch (t.kind) {
    case 'chan': case 'func': case 'interface': case 'map': case 'ptr': case 'slice': return true;
    case 'struct': return t === T.reflectValue;
  }
  return false;
}

function assignable(v: GoType, t: GoType): boolean {
  if (v === t) return true;
  if (t.kind === 'interface' && t !== T.error) return true;
  if (t === T.error) return v.methods.has('Error');
  if (v.name === t.name && v.named === t.named) return true;
  if (v.named && t.named) return false;
  return v.underlying.name === t.underlying.name;
}

function prepareArg(value: Value, argType: GoType): RawValue {
  if (value === undefined || value === null) {
    if (!canBeNil(argType)) throw new GoError(`value is nil; should be of type ${argType.name}`);
    return argType === T.reflectValue ? undefined : argType.kind === 'interface' ? null : zeroOf(argType);
  }
  const vt = typeOf(value);
  if (argType === T.reflectValue || assignable(vt, argType)) return value;
  const intLike = (k: string): boolean => isIntKind(k as never) || isUintKind(k as never);
  if (intLike(vt.kind) && intLike(argType.kind)) {
    const n = typeof value === 'bigint' ? value : ((value as GoScalar).v as bigint);
    const bits = intBits(argType.kind);
    const c = isIntKind(argType.kind) ? BigInt.asIntN(bits, n) : BigInt.asUintN(bits, n);
    return argType === T.int ? c : new GoScalar(argType, c);
  }
  throw new GoError(`value has type ${vt.name}; should be ${argType.name}`);
}

function reflectValueString(v: RawValue): string {
  const u = unbox(v);
  if (u === undefined) return '<invalid Value>';
  if (typeof u === 'string') return u;
  return `<${typeOf(u).name} Value>`;
}

function errorMessage(e: unknown): string {
  if (e instanceof Error) return e.message;
  return String(e);
}

/**
 * A set of named templates sharing functions and options, like Go's *template.Template
 * with its associated templates. `parse(name, text)` adds a file; {{define}}d names are
 * global to the set and a later non-empty definition replaces an earlier one.
 */
export class TemplateSet {
  private trees = new Map<string, Tree>();
  private funcs = new Map<string, GoFunc>();
  /** What decides a parse besides the text, for a ParsedTreeStore (set at the first stored parse). */
  private parseIdentity: string | undefined;
  missingKey: MissingKey;
  readonly name: string;
  readonly leftDelim: string;
  readonly rightDelim: string;
  /** Told of each function call with its arguments before it runs (helm's include memo). */
  onCall: ((name: string, args: readonly unknown[]) => void) | undefined;

  constructor(options: TemplateSetOptions = {}) {
    this.missingKey = options.missingKey ?? 'default';
    this.name = options.name ?? '';
    this.leftDelim = options.leftDelim ?? '{{';
    this.rightDelim = options.rightDelim ?? '}}';
    if (options.funcs) this.addFuncs(options.funcs);
  }

  /** Adds functions (Go's Funcs); must happen before parsing templates that use them. */
  addFuncs(funcs: FuncMap): this {
    this.parseIdentity = undefined;
    for (const [name, fn] of Object.entries(funcs)) {
      // ASCII names first: the Unicode classes load ICU's tables (~0.4 ms), and helm's are ASCII
      if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name) && !/^[\p{L}_][\p{L}\p{Nd}_]*$/u.test(name)) throw new Error(`function name ${quote(name)} is not a valid identifier`);
      if (!(fn instanceof GoFunc)) throw new Error(`value for ${name} not a function`);
      this.funcs.set(name, fn);
    }
    return this;
  }

  /** Go's Option: "missingkey=default|invalid|zero|error". */
  option(...opts: string[]): this {
    for (const opt of opts) {
      if (opt === '') throw new Error('empty option string');
      const eq = opt.indexOf('=');
      if (eq >= 0 && opt.slice(0, eq) === 'missingkey') {
        const v = opt.slice(eq + 1);
        if (v === 'invalid' || v === 'default' || v === 'zero' || v === 'error') { this.missingKey = v; continue; }
      }
      throw new Error(`unrecognized option: ${opt}`);
    }
    return this;
  }

  hasFunction(name: string): boolean {
    return this.funcs.has(name) || Object.prototype.hasOwnProperty.call(BUILTINS, name);
  }

  /**
   * Parses `text` as template `name`, adding it and its {{define}}s to the set.
   * Throws TemplateParseError (Go's message: `template: name:line: msg`).
   */
  parse(name: string, text: string, store?: ParsedTreeStore): this {
    return this.addTrees(store ? this.parseStored(name, text, store) : this.parseText(name, text));
  }

  /**
   * The trees Parse would add for `text` as template `name`, without adding them (for addTrees).
   * Throws TemplateParseError.
   */
  parseOnly(name: string, text: string): Map<string, Tree> {
    return this.parseText(name, text);
  }

  /** Adds trees that parseOnly returned, as Parse would: they are never changed, so any set may share them. */
  addTrees(trees: Map<string, Tree>): this {
    for (const [n, tree] of trees) {
      const old = this.lookup(n);
      if (old && isEmptyTree(tree.root)) continue;
      this.trees.set(n, tree);
    }
    return this;
  }

  /** parseText through a store of parsed trees: a text parsed cleanly before is read back from it. */
  private parseStored(name: string, text: string, store: ParsedTreeStore): Map<string, Tree> {
    // Whether a text parses, and to what, depends on the delimiters and on which function names exist.
    this.parseIdentity ??= [
      TREE_CODEC_VERSION, PARSER_BUILD, this.leftDelim, this.rightDelim, ...[...this.funcs.keys(), ...Object.keys(BUILTINS)].sort(),
    ].join('\0');
    const entry = store.get(this.parseIdentity, text, name);
    if (entry !== undefined) {
      const trees = decodeTrees(entry, name, text, this.leftDelim, this.rightDelim, () => this.parseText(name, text));
      if (trees) return trees;
    }
    const trees = this.parseText(name, text);
    store.put(this.parseIdentity, text, () => encodeTrees(name, text, trees), name);
    return trees;
  }

  private parseText(name: string, text: string): Map<string, Tree> {
    return parseTrees(name, text, {
      leftDelim: this.leftDelim,
      rightDelim: this.rightDelim,
      hasFunction: (n) => this.hasFunction(n),
    });
  }

  /**
   * Files whose text a file parsed later repeats: their {{define}}s would all be replaced by
   * the later copy's (or, when empty, leave the same templates in place), so only the file's
   * own top-level template is missing; it is parsed when first looked up.
   */
  private deferred = new Map<string, string>();

  /**
   * Adds `name` as Parse would, for a text that a later parse into this set repeats exactly
   * (the caller's promise). The text is parsed only if template `name` itself is looked up.
   */
  parseRepeatedLater(name: string, text: string): this {
    this.deferred.set(name, text);
    return this;
  }

  /**
   * The first parse error among the deferred texts (in the order they were added), which
   * Parse would have met before any later error; null when they all parse. (A deferred text
   * parsed since, on lookup, parsed without error.)
   */
  deferredParseError(): TemplateParseError | null {
    for (const [name, text] of this.deferred) {
      try {
        this.parseText(name, text);
      } catch (e) {
        if (e instanceof TemplateParseError) return e;
        throw e;
      }
    }
    return null;
  }

  lookup(name: string): Tree | undefined {
    const tree = this.trees.get(name);
    if (tree !== undefined || this.deferred.size === 0) return tree;
    const text = this.deferred.get(name);
    if (text === undefined) return undefined;
    this.deferred.delete(name);
    const own = this.parseText(name, text).get(name)!;
    this.trees.set(name, own);
    return own;
  }
  has(name: string): boolean { return this.trees.has(name) || this.deferred.has(name); }
  templateNames(): string[] { return [...this.trees.keys(), ...this.deferred.keys()]; }

  /** A copy sharing parse trees (Go's Clone): later parses into either do not affect the other. */
  clone(): TemplateSet {
    const c = new TemplateSet({ missingKey: this.missingKey, name: this.name, leftDelim: this.leftDelim, rightDelim: this.rightDelim });
    // Map's constructor copies a Map without an iterator result and an entry array per entry
    // (tpl clones the set at each call: a few hundred templates and functions each time)
    c.funcs = new Map(this.funcs);
    c.trees = new Map(this.trees);
    c.deferred = new Map(this.deferred);
    c.onCall = this.onCall;
    return c;
  }

  /**
   * Executes template `name` with `data` as dot (Go's ExecuteTemplate) and returns the
   * output. Throws ExecError (ExecLimitError for limits).
   */
  execute(name: string, data: unknown, options: ExecOptions = {}): string {
    return this.executeWith(name, data as Value, options, 0);
  }

  /** @internal */
  executeWith(name: string, data: Value, options: ExecOptions, depth: number): string {
    const tree = this.lookup(name);
    if (!tree) {
      const msg = `template: no template ${quote(name)} associated with template ${quote(this.name)}`;
      throw new ExecError(msg, this.name, msg);
    }
    const limits: ExecLimits = { ...DEFAULT_LIMITS, ...options.limits };
    const run: Run = {
      set: this,
      funcs: this.funcs,
      missingKey: this.missingKey,
      limits,
      budget: options.budget ?? { steps: 0, output: 0 },
      out: [],
    };
    const dot: RawValue = data === null || data === undefined ? undefined : data;
    const state = new State(run, name, [{ name: '$', value: dot }], depth);
    if (!tree.root) state.errorf(`${quote(name)} is an incomplete or empty template`);
    try {
      state.walk(dot, tree.root!);
    } catch (e) {
      if (isStackOverflow(e)) {
        state.node = null;
        state.errorf(`exceeded maximum template depth (${limits.maxExecDepth})`, undefined, ExecLimitError);
      }
      throw e;
    }
    return run.out.join('');
  }
}

