/**
 * SAM's `Globals` section, merged into each resource as the SAM translator does
 * (samtranslator/plugins/globals/globals.py, `GlobalProperties._do_merge`).
 */
import { isIntrinsic } from './intrinsics.js';

type Token = 'primitive' | 'dict' | 'list';

function tokenOf(value: unknown): Token {
  if (Array.isArray(value)) return 'list';
  // SAM treats an intrinsic function as a primitive: it resolves to one when the stack is created.
  if (typeof value === 'object' && value !== null && !isIntrinsic(value)) return 'dict';
  return 'primitive';
}

/**
 * Merges a global value with a resource's own, by SAM's rules: maps merge key by key (recursively, the
 * resource winning), lists are concatenated (globals first, duplicates kept), anything else (scalars,
 * intrinsic functions, or two values of different kinds) takes the resource's value.
 *
 * @example
 * mergeGlobals(
 *   { Timeout: 10, Environment: { Variables: { A: '1', B: '2' } }, Layers: ['l1'] },
 *   { Timeout: 1, Environment: { Variables: { B: 'x' } }, Layers: ['l2'] },
 * );
 * // { Timeout: 1, Environment: { Variables: { A: '1', B: 'x' } }, Layers: ['l1', 'l2'] }
 */
export function mergeGlobals(globalValue: unknown, localValue: unknown): unknown {
  if (globalValue === undefined) return localValue;
  if (localValue === undefined) return globalValue;
  const globalToken = tokenOf(globalValue);
  if (globalToken !== tokenOf(localValue) || globalToken === 'primitive') return localValue;
  if (globalToken === 'list') return [...(globalValue as unknown[]), ...(localValue as unknown[])];
  const merged: Record<string, unknown> = { ...(globalValue as Record<string, unknown>) };
  for (const [key, value] of Object.entries(localValue as Record<string, unknown>)) {
    const next = Object.hasOwn(merged, key) ? mergeGlobals(merged[key], value) : value;
    Object.defineProperty(merged, key, { value: next, enumerable: true, writable: true, configurable: true });
  }
  return merged;
}

/**
 * The `Globals` section names resource kinds without their `AWS::Serverless::` prefix: `Function` applies to
 * `AWS::Serverless::Function`, `Api` to `AWS::Serverless::Api`, and so on.
 *
 * @example
 * globalsFor({ Function: { Timeout: 10 } }, 'AWS::Serverless::Function'); // { Timeout: 10 }
 */
export function globalsFor(globals: unknown, resourceType: string): Record<string, unknown> | undefined {
  if (typeof globals !== 'object' || globals === null || !resourceType.startsWith('AWS::Serverless::')) {
    return undefined;
  }
  const section = (globals as Record<string, unknown>)[resourceType.slice('AWS::Serverless::'.length)];
  return typeof section === 'object' && section !== null && !Array.isArray(section)
    ? (section as Record<string, unknown>)
    : undefined;
}
