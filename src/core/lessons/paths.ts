/**
 * Which state paths exist, so that a typo in a lesson (`result.energy.kwh`) is named with its line
 * when the lesson is opened rather than leaving a question "not measured yet" for ever.
 */
import { ResultSchema } from '../result';
import { FIELDS } from '../config/schema';

interface SchemaNode {
  readonly type?: string;
  readonly entries?: Record<string, SchemaNode>;
  readonly wrapped?: SchemaNode;
  readonly item?: SchemaNode;
  readonly options?: readonly SchemaNode[];
}

/** The object keys under a valibot schema node, unwrapping optional, nullable and arrays. */
function unwrap(node: SchemaNode): SchemaNode {
  let at = node;
  while (at.wrapped) at = at.wrapped;
  return at;
}

function resultPathProblem(keys: readonly string[], node: SchemaNode, shown: string): string | null {
  let at = unwrap(node);
  for (const key of keys) {
    if (at.type === 'array') {
      if (key === 'count' || key === 'first' || key === 'last' || /^\d+$/.test(key)) {
        if (key !== 'count') at = unwrap(at.item as SchemaNode);
        continue;
      }
      return `"${shown}": "${key}" does not index a list (use count, first, last or a number)`;
    }
    const next = at.entries?.[key];
    if (!next) {
      const known = Object.keys(at.entries ?? {});
      return `"${shown}": "${key}" is not in the result${known.length ? `; here there is ${known.join(', ')}` : ''}`;
    }
    at = unwrap(next);
  }
  return null;
}

const SWEEP_RUN = ['accuracy', 'kWh', 'gCO2e', 'label', 'link'];
const CONFIG_PATHS = new Set(FIELDS.map((f) => f.path));

/** Names a path that cannot exist in the lab's state, or returns null. */
export function statePathProblem(path: string): string | null {
  const [root, ...rest] = path.split('.');
  const schema = ResultSchema as unknown as SchemaNode;
  if (root === 'result') return resultPathProblem(rest, schema, path);
  if (root === 'runs') {
    if (rest.length === 0) return null;
    const [index, ...inner] = rest;
    if (index === 'count' && inner.length === 0) return null;
    if (index !== 'first' && index !== 'last' && !/^\d+$/.test(index as string)) return `"${path}": after "runs" comes count, first, last or a number`;
    return resultPathProblem(inner, schema, path);
  }
  if (root === 'config' && rest.length > 0 && !CONFIG_PATHS.has(rest.join('.'))) return `"${path}" is not a config field (see FIELDS in src/core/config/schema.ts)`;
  if (root === 'sweep') return sweepPathProblem(rest, path);
  if ((root === 'phase' || root === 'view') && rest.length > 0) return `"${path}": ${root} is a word and has no parts`;
  return null;
}

function sweepPathProblem(rest: readonly string[], path: string): string | null {
  const [head, second, third] = rest;
  if (head === undefined) return null;
  if (head === 'active') return rest.length === 1 ? null : `"${path}": sweep.active has no parts`;
  if (head === 'picked') return second === undefined || (SWEEP_RUN.includes(second) && third === undefined) ? null : `"${path}": a sweep run has ${SWEEP_RUN.join(', ')}`;
  if (head !== 'runs') return `"${path}": the sweep has runs, active and picked`;
  if (second === undefined || (second === 'count' && third === undefined)) return null;
  if (second !== 'first' && second !== 'last' && !/^\d+$/.test(second)) return `"${path}": after "sweep.runs" comes count, first, last or a number`;
  return third === undefined || (SWEEP_RUN.includes(third) && rest.length === 3) ? null : `"${path}": a sweep run has ${SWEEP_RUN.join(', ')}`;
}
