/**
 * Reads a CloudFormation/SAM template (YAML or JSON) into plain values, keeping where each value came from so
 * that later errors can say `template.yaml:12:7`.
 *
 * The short-form intrinsic tags (`!Ref`, `!Sub`, `!GetAtt`…) become their long forms (`{ Ref: … }`,
 * `{ 'Fn::Sub': … }`), exactly as CloudFormation defines them ("the short form … is equivalent to the full
 * function name form", AWS CloudFormation User Guide, intrinsic function reference), so one evaluator serves
 * YAML and JSON templates alike.
 */
import {
  isAlias,
  isMap,
  isPair,
  isScalar,
  isSeq,
  LineCounter,
  type Node,
  parseDocument,
  type ScalarTag,
  type Tags,
} from 'yaml';
import { formatLocation, type SourceLocation, TemplateError, TemplateErrorCode } from './errors.js';

/**
 * The intrinsic functions that have a YAML short form (`!Name`), and the long-form key each maps to. The last
 * two come from the `AWS::LanguageExtensions` transform.
 *
 * @example
 * SHORT_FORM_INTRINSICS['!Sub']; // 'Fn::Sub'
 */
export const SHORT_FORM_INTRINSICS: Readonly<Record<string, string>> = Object.fromEntries(
  [
    'Base64',
    'Cidr',
    'FindInMap',
    'GetAtt',
    'GetAZs',
    'ImportValue',
    'Join',
    'Select',
    'Split',
    'Sub',
    'Transform',
    'If',
    'Equals',
    'And',
    'Or',
    'Not',
    'ToJsonString',
    'Length',
  ]
    .map((name) => [`!${name}`, `Fn::${name}`])
    .concat([
      ['!Ref', 'Ref'],
      ['!Condition', 'Condition'],
    ]),
);

/**
 * The custom tags given to the `yaml` parser: every short form, in its scalar, sequence and mapping shapes
 * (`!Sub 'x'`, `!Sub [x, {…}]`, `!Base64 {Fn::Sub: …}`). They only mark the node; the conversion to the long
 * form happens in {@link parseTemplateSource}, which knows each node's position.
 *
 * @example
 * parseDocument('Value: !Ref Name', { customTags: INTRINSIC_TAGS });
 */
export const INTRINSIC_TAGS: Tags = Object.keys(SHORT_FORM_INTRINSICS).flatMap((tag) => [
  { tag, resolve: (value: string) => value } satisfies ScalarTag,
  { tag, collection: 'seq' as const, resolve: (value: unknown) => value },
  { tag, collection: 'map' as const, resolve: (value: unknown) => value },
]);

/**
 * A path into the template: keys of mappings and indexes of sequences.
 *
 * @example
 * const handler: ValuePath = ['Resources', 'Fn', 'Properties', 'Handler'];
 */
export type ValuePath = readonly (string | number)[];

/**
 * A template file read into plain values.
 *
 * @example
 * const source = parseTemplateSource(text, '/app/template.yaml');
 * source.locate(['Resources', 'Fn', 'Properties', 'Handler']); // { file, line: 9, column: 16 }
 */
export interface ParsedSource {
  /** Absolute path of the file. */
  readonly file: string;
  /** The document: objects, arrays, strings, numbers, booleans, null; intrinsics in their long form. */
  readonly value: unknown;
  /** Where the value at `path` starts, or its nearest located ancestor. */
  locate(path: ValuePath): SourceLocation;
  /** Things worth telling the user that do not stop loading (duplicate keys, unknown tags). */
  readonly warnings: readonly string[];
}

const pathKey = (path: ValuePath): string => path.join('\u0001');

/** Assigns without letting a `__proto__` key reach the prototype. */
function setOwn(target: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

/** First line of a `yaml` error message, without its ` at line N, column M:` tail (we print the location). */
function firstLine(message: string): string {
  return (message.split('\n')[0] ?? message).replace(/ at line \d+, column \d+:?$/, '');
}

/** The code excerpt with a caret that `yaml`'s pretty errors carry, indented for a terminal. */
function excerpt(message: string): string {
  const lines = message.split('\n').slice(1);
  while (lines.length > 0 && lines[0]?.trim() === '') lines.shift();
  while (lines.length > 0 && lines.at(-1)?.trim() === '') lines.pop();
  return lines.length > 0 ? `\n${lines.map((line) => `    ${line}`).join('\n')}` : '';
}

/**
 * Parses a template's text. YAML and JSON are both read with the YAML parser (JSON is YAML 1.2), so both get
 * line numbers; a `.json` file the YAML parser rejects but `JSON.parse` accepts is used without positions.
 *
 * Duplicate keys are accepted with a warning and the last value wins, as SAM CLI's loader does: the
 * lambda-streaming-sdk-sam example repeats an `Outputs` key and deploys (examples.md §2.4).
 *
 * Throws `TemplateError` `SLUICE_TEMPLATE_SYNTAX` with `file:line:column` and the offending line.
 *
 * @example
 * const { value } = parseTemplateSource('Resources:\n  Fn:\n    Type: AWS::Serverless::Function\n', 'template.yaml');
 */
export function parseTemplateSource(text: string, file: string): ParsedSource {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, {
    lineCounter,
    customTags: INTRINSIC_TAGS,
    uniqueKeys: false,
    prettyErrors: true,
  });
  const warnings: string[] = [];
  const offsets = new Map<string, number>();
  const at = (offset: number): SourceLocation => {
    const { line, col } = lineCounter.linePos(offset);
    return { file, line, column: col };
  };
  const where = (location: SourceLocation) => formatLocation(location);

  if (doc.errors.length > 0) {
    if (file.toLowerCase().endsWith('.json')) {
      try {
        const value: unknown = JSON.parse(text);
        return { file, value, locate: () => ({ file }), warnings };
      } catch {
        // Report the YAML parser's error: it has the better position.
      }
    }
    const error = doc.errors[0]!;
    const position = error.linePos?.[0];
    throw new TemplateError(
      TemplateErrorCode.syntax,
      `${firstLine(error.message)}${excerpt(error.message)}`,
      position ? { file, line: position.line, column: position.col } : { file },
      { cause: error },
    );
  }
  for (const warning of doc.warnings) {
    const position = warning.linePos?.[0];
    warnings.push(
      `${where(position ? { file, line: position.line, column: position.col } : { file })}: ${firstLine(warning.message)}`,
    );
  }

  const resolving = new Set<Node>();
  const convert = (node: unknown, path: ValuePath): unknown => {
    if (node === null || node === undefined) return null;
    if (isAlias(node)) {
      const target = node.resolve(doc);
      if (!target || resolving.has(target)) return null;
      resolving.add(target);
      try {
        return convert(target, path);
      } finally {
        resolving.delete(target);
      }
    }
    const range = (node as Node).range;
    if (range) offsets.set(pathKey(path), range[0]);
    let value: unknown;
    if (isScalar(node)) {
      value = node.value;
    } else if (isMap(node)) {
      const object: Record<string, unknown> = {};
      for (const pair of node.items) {
        if (!isPair(pair)) continue;
        const keyNode = pair.key;
        const key = isScalar(keyNode) ? String(keyNode.value) : String(keyNode);
        if (Object.hasOwn(object, key)) {
          const keyRange = (keyNode as Node | null)?.range;
          warnings.push(
            `${where(keyRange ? at(keyRange[0]) : { file })}: duplicate key ${JSON.stringify(key)}; the last one is used, as SAM CLI does`,
          );
        }
        const childPath = [...path, key];
        const keyRange = (keyNode as Node | null)?.range;
        if (keyRange) offsets.set(pathKey(childPath), keyRange[0]);
        setOwn(object, key, convert(pair.value, childPath));
        // A scalar is located at its value (`Handler: app.handler` → at `app.handler`); a mapping, a sequence
        // or a missing value at its key, the line a person looks for (`Fn:` for resource Fn).
        if (keyRange && !isScalar(pair.value)) offsets.set(pathKey(childPath), keyRange[0]);
      }
      value = object;
    } else if (isSeq(node)) {
      value = node.items.map((item, index) => convert(item, [...path, index]));
    } else {
      value = null;
    }
    const tag = (node as Node).tag;
    const longForm = tag === undefined ? undefined : SHORT_FORM_INTRINSICS[tag];
    if (longForm === undefined) return value;
    if (range) offsets.set(pathKey([...path, longForm]), range[0]);
    // `!GetAtt Resource.Attribute` is the dotted scalar form of `Fn::GetAtt: [Resource, Attribute]`; the
    // attribute keeps any further dots (`!GetAtt Db.Endpoint.Address`).
    if (longForm === 'Fn::GetAtt' && typeof value === 'string') {
      const dot = value.indexOf('.');
      value = dot < 0 ? [value] : [value.slice(0, dot), value.slice(dot + 1)];
    }
    const wrapped: Record<string, unknown> = {};
    setOwn(wrapped, longForm, value ?? '');
    return wrapped;
  };

  const value = convert(doc.contents, []);
  return {
    file,
    value,
    warnings,
    locate(path: ValuePath): SourceLocation {
      for (let length = path.length; length >= 0; length--) {
        const offset = offsets.get(pathKey(path.slice(0, length)));
        if (offset !== undefined) return at(offset);
      }
      return { file };
    },
  };
}
