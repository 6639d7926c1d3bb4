/**
 * Go text/template (Go 1.25 semantics, as used by helm v4.1.4) for chartaudit.
 * See value.ts for the value model and funcs.ts for writing template functions.
 */
export { TemplateSet, ExecError, ExecLimitError, DEFAULT_LIMITS } from './exec.js';
export type { CallContext, ExecBudget, ExecLimits, ExecOptions, MissingKey, ParsedTreeStore, TemplateSetOptions } from './exec.js';
export { TemplateParseError, parseTrees } from './parse.js';
export type { ParseOptions } from './parse.js';
export { GoError, GoFunc, goFunc, parseSignature, builtins, BUILTINS, evalArgs, htmlEscapeString, jsEscapeString, queryEscape } from './funcs.js';
export type { FuncMap, GoFuncImpl, GoFuncOptions } from './funcs.js';
export { sprint, sprintf, sprintln, formatValue } from './fmt.js';
export { formatFloat, quote, quoteToASCII, unquote } from './strconv.js';
export * from './value.js';
export { Tree, nodeString } from './ast.js';
export { Lexer } from './lex.js';
export type { Node } from './ast.js';
