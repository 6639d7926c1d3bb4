/**
 * Label selectors as Kubernetes evaluates them (metav1.LabelSelector: matchLabels and
 * matchExpressions ANDed; an empty selector selects everything), Service selectors, and
 * namespaces of rendered resources (no namespace = the release's namespace).
 */
import type { RenderedResource } from '../../model/stages.js';
import { list, record, str } from './workload.js';

/** Whether a metav1.LabelSelector selects these labels. A selector that is not a map (or null) selects nothing. */
export function labelSelectorMatches(selector: unknown, labels: Readonly<Record<string, string>>): boolean {
  const sel = record(selector);
  if (sel === null) return false;
  for (const [k, v] of Object.entries(record(sel.matchLabels) ?? {})) if (labels[k] !== String(v)) return false;
  for (const e of list(sel.matchExpressions)) {
    const expr = record(e);
    if (expr === null) return false;
    const key = str(expr.key);
    const values = list(expr.values).map(String);
    const has = Object.hasOwn(labels, key);
    switch (expr.operator) {
      case 'In': if (!has || !values.includes(labels[key]!)) return false; break;
      case 'NotIn': if (has && values.includes(labels[key]!)) return false; break;
      case 'Exists': if (!has) return false; break;
      case 'DoesNotExist': if (has) return false; break;
      default: return false; // an unknown operator: the API server refuses the object
    }
  }
  return true;
}

/** A Service's selector (a plain map) selects the pod: non-empty and every pair present. */
export function serviceSelects(service: RenderedResource, labels: Readonly<Record<string, string>>): boolean {
  const sel = record(record(service.object.spec)?.selector);
  if (sel === null || Object.keys(sel).length === 0) return false;
  return Object.entries(sel).every(([k, v]) => labels[k] === String(v));
}

/** Two resources of one chart share a namespace: equal, or either unset (the release's namespace). */
export function sameNamespace(a: RenderedResource, b: RenderedResource): boolean {
  return a.namespace === null || b.namespace === null || a.namespace === b.namespace;
}
