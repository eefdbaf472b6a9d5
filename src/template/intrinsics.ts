/**
 * Evaluates CloudFormation intrinsic functions locally, as far as a template alone allows.
 *
 * Values CloudFormation computes at deploy time from other stacks or from resources sluice does not create
 * (`Fn::ImportValue`, `!GetAtt Table.Arn`, a parameter without a default) do not stop loading: they become an
 * {@link Unresolved} marker that says what could not be resolved and why. Only the template layer decides
 * whether a marker matters (it does for Handler or CodeUri, not for a tag or an IAM policy), so an invalid
 * `Fn::Select` in a function's Tags cannot break `sluice dev`.
 */
import type { ValuePath } from './source.js';

/**
 * A value that cannot be computed locally. `expression` is the intrinsic in its short form; `partial` is the
 * text with markers in place of the unknown parts, when the value was a string being built (`Fn::Sub`,
 * `Fn::Join`).
 *
 * @example
 * const value = new Unresolved('!GetAtt Table.Arn', 'Table is not a resource sluice emulates');
 * String(value); // '<unresolved: !GetAtt Table.Arn>'
 */
export class Unresolved {
  constructor(
    readonly expression: string,
    readonly reason: string,
    readonly partial?: string,
  ) {}

  toString(): string {
    return `<unresolved: ${this.expression}>`;
  }

  toJSON(): string {
    return this.toString();
  }
}

/**
 * `isUnresolved(value)` narrows to {@link Unresolved}.
 *
 * @example
 * if (isUnresolved(handler)) throw new Error(handler.reason);
 */
export function isUnresolved(value: unknown): value is Unresolved {
  return value instanceof Unresolved;
}

/** `AWS::NoValue`: the property (or list item) is removed, as CloudFormation does. */
const NO_VALUE: unique symbol = Symbol('AWS::NoValue');

/**
 * Whether `value` is an intrinsic function call in long form: an object whose single key is `Ref`,
 * `Condition` (inside conditions only), or starts with `Fn::`.
 *
 * @example
 * isIntrinsic({ 'Fn::Sub': '${AWS::Region}' }); // true
 * isIntrinsic({ Name: 'x' });                    // false
 */
export function isIntrinsic(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const keys = Object.keys(value);
  return keys.length === 1 && (keys[0] === 'Ref' || keys[0]!.startsWith('Fn::'));
}

/**
 * The pseudo parameters (`AWS::Region`…), with the values a local stack uses.
 *
 * @example
 * const pseudo: PseudoParameters = pseudoParameters({ region: 'eu-west-1', accountId: '123456789012', stackName: 'app' });
 */
export interface PseudoParameters {
  region: string;
  accountId: string;
  stackName: string;
  partition: string;
  urlSuffix: string;
  stackId: string;
}

/**
 * Fills in the partition and URL suffix of a region (`aws-cn`/`amazonaws.com.cn` in China, `aws-us-gov` in
 * GovCloud, else `aws`/`amazonaws.com`) and a stable fake stack id.
 *
 * @example
 * pseudoParameters({ region: 'cn-north-1', accountId: '123456789012', stackName: 's' }).partition; // 'aws-cn'
 */
export function pseudoParameters(options: {
  region: string;
  accountId: string;
  stackName: string;
}): PseudoParameters {
  const { region, accountId, stackName } = options;
  const partition = region.startsWith('cn-') ? 'aws-cn' : region.startsWith('us-gov-') ? 'aws-us-gov' : 'aws';
  return {
    region,
    accountId,
    stackName,
    partition,
    urlSuffix: partition === 'aws-cn' ? 'amazonaws.com.cn' : 'amazonaws.com',
    stackId: `arn:${partition}:cloudformation:${region}:${accountId}:stack/${stackName}/00000000-0000-0000-0000-000000000000`,
  };
}

/**
 * What the evaluator knows about the template's resources: `Ref` and `Fn::GetAtt` of a logical id. Return
 * `undefined` for an id that is not a resource.
 *
 * @example
 * const resources: ResourceResolver = {
 *   ref: (id) => (id === 'Fn' ? 'my-function' : undefined),
 *   getAtt: (id, attribute) => (id === 'Fn' && attribute === 'Arn' ? 'arn:aws:lambda:…:function:my-function' : undefined),
 * };
 */
export interface ResourceResolver {
  ref(logicalId: string): unknown;
  getAtt(logicalId: string, attribute: string): unknown;
}

/**
 * @example
 * const evaluator = new IntrinsicEvaluator({ pseudo, parameters: new Map(), mappings: {}, conditions: {}, resources });
 */
export interface EvaluatorOptions {
  pseudo: PseudoParameters;
  /** Resolved parameter values: a string, a list (`CommaDelimitedList`), or an {@link Unresolved}. */
  parameters: ReadonlyMap<string, unknown>;
  /** The template's `Mappings` section. */
  mappings: unknown;
  /** The template's `Conditions` section (unevaluated). */
  conditions: unknown;
  resources: ResourceResolver;
  /** Loads the snippet of an `AWS::Include` transform (`Location`); absent: such transforms stay unresolved. */
  include?: (location: string, path: ValuePath) => unknown;
}

function shortForm(key: string, argument: unknown): string {
  const name = key === 'Ref' || key === 'Condition' ? key : key.slice('Fn::'.length);
  if (key === 'Fn::GetAtt' && Array.isArray(argument)) return `!GetAtt ${argument.map(String).join('.')}`;
  const text = typeof argument === 'string' ? argument : JSON.stringify(argument, (_k, v) => v);
  return `!${name} ${text}`;
}

const isScalarValue = (value: unknown): value is string | number | boolean =>
  typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean';

/**
 * Evaluates intrinsic functions in template values.
 *
 * @example
 * const evaluator = new IntrinsicEvaluator(options);
 * evaluator.resolve({ 'Fn::Sub': 'arn:${AWS::Partition}:s3:::bucket' }, ['Resources']); // 'arn:aws:s3:::bucket'
 */
export class IntrinsicEvaluator {
  readonly #options: EvaluatorOptions;
  readonly #conditionCache = new Map<string, boolean | Unresolved>();
  readonly #evaluating = new Set<string>();

  constructor(options: EvaluatorOptions) {
    this.#options = options;
  }

  /**
   * Resolves every intrinsic in `value`, deeply. `AWS::NoValue` removes the property or list item (and yields
   * `undefined` at the top). `path` is where `value` sits in the template, for `AWS::Include` and messages.
   *
   * @example
   * evaluator.resolve({ Timeout: { 'Fn::If': ['IsProd', 30, 5] } }, ['Resources', 'Fn', 'Properties']);
   */
  resolve(value: unknown, path: ValuePath = []): unknown {
    const result = this.#resolve(value, path);
    return result === NO_VALUE ? undefined : result;
  }

  /**
   * Evaluates the named condition of the `Conditions` section.
   *
   * @example
   * evaluator.condition('IsProduction'); // true, false, or Unresolved (a parameter without a value)
   */
  condition(name: string): boolean | Unresolved {
    const cached = this.#conditionCache.get(name);
    if (cached !== undefined) return cached;
    const conditions = this.#options.conditions;
    const raw =
      typeof conditions === 'object' && conditions !== null && Object.hasOwn(conditions, name)
        ? (conditions as Record<string, unknown>)[name]
        : undefined;
    if (raw === undefined) {
      return new Unresolved(`!Condition ${name}`, `there is no condition ${name} in the Conditions section`);
    }
    if (this.#evaluating.has(name)) {
      return new Unresolved(`!Condition ${name}`, `condition ${name} refers to itself`);
    }
    this.#evaluating.add(name);
    try {
      const result = this.#conditionValue(raw, ['Conditions', name]);
      this.#conditionCache.set(name, result);
      return result;
    } finally {
      this.#evaluating.delete(name);
    }
  }

  #conditionValue(value: unknown, path: ValuePath): boolean | Unresolved {
    // Inside conditions, `{ Condition: Name }` refers to another condition (CloudFormation's Condition function).
    if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
      const keys = Object.keys(value);
      if (keys.length === 1 && keys[0] === 'Condition') {
        const name = (value as { Condition: unknown }).Condition;
        return typeof name === 'string'
          ? this.condition(name)
          : new Unresolved(shortForm('Condition', name), 'Condition takes the name of a condition');
      }
    }
    const result = this.#resolve(value, path);
    if (typeof result === 'boolean') return result;
    if (result === 'true' || result === 'false') return result === 'true';
    if (result instanceof Unresolved) return result;
    return new Unresolved(
      JSON.stringify(value),
      `a condition must evaluate to true or false, got ${JSON.stringify(result)}`,
    );
  }

  #resolve(value: unknown, path: ValuePath): unknown {
    if (Array.isArray(value)) {
      const out: unknown[] = [];
      value.forEach((item, index) => {
        const resolved = this.#resolve(item, [...path, index]);
        if (resolved !== NO_VALUE) out.push(resolved);
      });
      return out;
    }
    if (typeof value !== 'object' || value === null || value instanceof Unresolved) return value;
    if (isIntrinsic(value)) {
      const [key, argument] = Object.entries(value)[0]!;
      return this.#call(key, argument, [...path, key]);
    }
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) {
      const resolved = this.#resolve(item, [...path, key]);
      if (resolved !== NO_VALUE) {
        Object.defineProperty(out, key, {
          value: resolved,
          enumerable: true,
          writable: true,
          configurable: true,
        });
      }
    }
    return out;
  }

  #call(key: string, argument: unknown, path: ValuePath): unknown {
    const expression = shortForm(key, argument);
    const bad = (reason: string) => new Unresolved(expression, reason);
    switch (key) {
      case 'Ref': {
        const name = this.#resolve(argument, path);
        if (typeof name !== 'string') return bad('Ref takes the name of a parameter or resource');
        return this.#ref(name);
      }
      case 'Fn::GetAtt': {
        const args = this.#resolve(argument, path);
        let resource: unknown;
        let attribute: unknown;
        if (typeof args === 'string') {
          const dot = args.indexOf('.');
          [resource, attribute] = dot < 0 ? [args, ''] : [args.slice(0, dot), args.slice(dot + 1)];
        } else if (Array.isArray(args) && args.length === 2) {
          [resource, attribute] = args;
        }
        if (typeof resource !== 'string' || typeof attribute !== 'string' || attribute === '') {
          return bad('Fn::GetAtt takes [LogicalId, Attribute] (or LogicalId.Attribute)');
        }
        return this.#getAtt(resource, attribute, expression);
      }
      case 'Fn::Sub':
        return this.#sub(argument, path, expression);
      case 'Fn::Join': {
        if (!Array.isArray(argument) || argument.length !== 2) return bad('Fn::Join takes [delimiter, list]');
        const delimiter = this.#resolve(argument[0], [...path, 0]);
        const list = this.#resolve(argument[1], [...path, 1]);
        if (typeof delimiter !== 'string') return bad('the delimiter of Fn::Join must be a string');
        if (list instanceof Unresolved) return new Unresolved(expression, list.reason);
        if (!Array.isArray(list)) return bad('the second argument of Fn::Join must be a list');
        return this.#joinParts(list, delimiter, expression);
      }
      case 'Fn::Select': {
        if (!Array.isArray(argument) || argument.length !== 2) return bad('Fn::Select takes [index, list]');
        const index = Number(this.#resolve(argument[0], [...path, 0]));
        const list = this.#resolve(argument[1], [...path, 1]);
        if (list instanceof Unresolved) return new Unresolved(expression, list.reason);
        if (!Array.isArray(list)) return bad('the second argument of Fn::Select must be a list');
        if (!Number.isInteger(index) || index < 0 || index >= list.length) {
          return bad(`index ${argument[0]} is outside the list of ${list.length}`);
        }
        return list[index];
      }
      case 'Fn::Split': {
        if (!Array.isArray(argument) || argument.length !== 2)
          return bad('Fn::Split takes [delimiter, string]');
        const delimiter = this.#resolve(argument[0], [...path, 0]);
        const source = this.#resolve(argument[1], [...path, 1]);
        if (source instanceof Unresolved) return new Unresolved(expression, source.reason);
        if (typeof delimiter !== 'string' || typeof source !== 'string') {
          return bad('Fn::Split takes a string delimiter and a string');
        }
        return source.split(delimiter);
      }
      case 'Fn::If': {
        if (!Array.isArray(argument) || argument.length !== 3 || typeof argument[0] !== 'string') {
          return bad('Fn::If takes [ConditionName, valueIfTrue, valueIfFalse]');
        }
        const condition = this.condition(argument[0]);
        if (condition instanceof Unresolved) return new Unresolved(expression, condition.reason);
        return this.#resolve(argument[condition ? 1 : 2], [...path, condition ? 1 : 2]);
      }
      case 'Fn::Equals': {
        if (!Array.isArray(argument) || argument.length !== 2)
          return bad('Fn::Equals takes [value1, value2]');
        const [a, b] = argument.map((item, index) => this.#resolve(item, [...path, index]));
        if (a instanceof Unresolved) return new Unresolved(expression, a.reason);
        if (b instanceof Unresolved) return new Unresolved(expression, b.reason);
        // CloudFormation compares the values as strings (a Number parameter equals its text).
        return isScalarValue(a) && isScalarValue(b)
          ? String(a) === String(b)
          : JSON.stringify(a) === JSON.stringify(b);
      }
      case 'Fn::And':
      case 'Fn::Or': {
        if (!Array.isArray(argument) || argument.length < 1) return bad(`${key} takes a list of conditions`);
        const results = argument.map((item, index) => this.#conditionValue(item, [...path, index]));
        // One false decides an And, one true decides an Or.
        const decisive = key !== 'Fn::And';
        if (results.includes(decisive)) return decisive;
        const unknown = results.find((result) => result instanceof Unresolved);
        return unknown ? new Unresolved(expression, unknown.reason) : !decisive;
      }
      case 'Fn::Not': {
        const inner = Array.isArray(argument) && argument.length === 1 ? argument[0] : argument;
        const result = this.#conditionValue(inner, [...path, 0]);
        return result instanceof Unresolved ? new Unresolved(expression, result.reason) : !result;
      }
      case 'Fn::FindInMap':
        return this.#findInMap(argument, path, expression);
      case 'Fn::Base64': {
        const text = this.#resolve(argument, path);
        if (text instanceof Unresolved) return new Unresolved(expression, text.reason);
        if (!isScalarValue(text)) return bad('Fn::Base64 takes a string');
        return Buffer.from(String(text), 'utf8').toString('base64');
      }
      case 'Fn::GetAZs': {
        const region = this.#resolve(argument, path);
        const name = typeof region === 'string' && region !== '' ? region : this.#options.pseudo.region;
        // The account's real zones are unknown locally; these three exist in every commercial region.
        return ['a', 'b', 'c'].map((zone) => `${name}${zone}`);
      }
      case 'Fn::Cidr':
        return this.#cidr(argument, path, expression);
      case 'Fn::ImportValue':
        return bad("Fn::ImportValue reads another stack's exports, which do not exist locally");
      case 'Fn::Transform': {
        const spec = this.#resolve(argument, path) as { Name?: unknown; Parameters?: { Location?: unknown } };
        if (spec?.Name === 'AWS::Include' && typeof spec.Parameters?.Location === 'string') {
          if (!this.#options.include) return bad('AWS::Include is not available here');
          return this.#resolve(this.#options.include(spec.Parameters.Location, path), path);
        }
        return bad(`the ${String(spec?.Name)} transform (a CloudFormation macro) does not run locally`);
      }
      case 'Fn::ToJsonString': {
        const inner = this.#resolve(argument, path);
        if (inner instanceof Unresolved || JSON.stringify(inner).includes('<unresolved:')) {
          return bad('the value holds something that cannot be resolved locally');
        }
        return JSON.stringify(inner);
      }
      case 'Fn::Length': {
        const list = this.#resolve(argument, path);
        return Array.isArray(list) ? list.length : bad('Fn::Length takes a list');
      }
      default:
        return bad(`${key} is not an intrinsic function sluice knows`);
    }
  }

  #ref(name: string): unknown {
    const pseudo = this.#options.pseudo;
    switch (name) {
      case 'AWS::NoValue':
        return NO_VALUE;
      case 'AWS::Region':
        return pseudo.region;
      case 'AWS::AccountId':
        return pseudo.accountId;
      case 'AWS::StackName':
        return pseudo.stackName;
      case 'AWS::StackId':
        return pseudo.stackId;
      case 'AWS::Partition':
        return pseudo.partition;
      case 'AWS::URLSuffix':
        return pseudo.urlSuffix;
      case 'AWS::NotificationARNs':
        return [];
    }
    if (this.#options.parameters.has(name)) return this.#options.parameters.get(name);
    const resource = this.#options.resources.ref(name);
    if (resource !== undefined) return resource;
    return new Unresolved(`!Ref ${name}`, `there is no parameter or resource named ${name}`);
  }

  #getAtt(resource: string, attribute: string, expression: string): unknown {
    const value = this.#options.resources.getAtt(resource, attribute);
    if (value !== undefined) return value;
    return new Unresolved(
      expression,
      `${resource}.${attribute} is only known once CloudFormation has created ${resource}`,
    );
  }

  #sub(argument: unknown, path: ValuePath, expression: string): unknown {
    let template: unknown = argument;
    let variables: Record<string, unknown> = {};
    if (Array.isArray(argument)) {
      if (argument.length !== 2 || typeof argument[1] !== 'object' || argument[1] === null) {
        return new Unresolved(expression, 'Fn::Sub takes a string or [string, {Name: value}]');
      }
      [template, variables] = argument as [unknown, Record<string, unknown>];
    }
    if (typeof template !== 'string') return new Unresolved(expression, 'Fn::Sub takes a string');
    const reasons: string[] = [];
    const text = template.replace(/\$\{([^}]*)\}/g, (match, inner: string) => {
      // `${!Literal}` writes `${Literal}` (CloudFormation's escape).
      if (inner.startsWith('!')) return `\${${inner.slice(1)}}`;
      const name = inner.trim();
      let value: unknown;
      if (Object.hasOwn(variables, name)) value = this.#resolve(variables[name], [...path, 1, name]);
      else if (name.includes('.') && !name.startsWith('AWS::')) {
        const dot = name.indexOf('.');
        value = this.#getAtt(name.slice(0, dot), name.slice(dot + 1), `!GetAtt ${name}`);
      } else value = this.#ref(name);
      if (value instanceof Unresolved) {
        reasons.push(value.reason);
        return value.toString();
      }
      if (!isScalarValue(value)) {
        reasons.push(`${match} is not a string`);
        return match;
      }
      return String(value);
    });
    return reasons.length > 0 ? new Unresolved(expression, reasons.join('; '), text) : text;
  }

  #joinParts(list: unknown[], delimiter: string, expression: string): unknown {
    const reasons: string[] = [];
    const parts = list.map((item) => {
      if (item instanceof Unresolved) {
        reasons.push(item.reason);
        return item.toString();
      }
      if (!isScalarValue(item)) {
        reasons.push('Fn::Join can only join strings');
        return JSON.stringify(item);
      }
      return String(item);
    });
    const text = parts.join(delimiter);
    return reasons.length > 0 ? new Unresolved(expression, reasons.join('; '), text) : text;
  }

  #findInMap(argument: unknown, path: ValuePath, expression: string): unknown {
    if (!Array.isArray(argument) || argument.length < 3 || argument.length > 4) {
      return new Unresolved(expression, 'Fn::FindInMap takes [MapName, TopLevelKey, SecondLevelKey]');
    }
    const keys = argument.slice(0, 3).map((item, index) => this.#resolve(item, [...path, index]));
    const unknown = keys.find((key) => key instanceof Unresolved) as Unresolved | undefined;
    if (unknown) return new Unresolved(expression, unknown.reason);
    let node: unknown = this.#options.mappings;
    for (const key of keys) {
      const name = String(key);
      if (typeof node !== 'object' || node === null || !Object.hasOwn(node, name)) {
        // `DefaultValue` comes from the AWS::LanguageExtensions transform.
        const fallback = (argument[3] as { DefaultValue?: unknown } | undefined)?.DefaultValue;
        if (fallback !== undefined) return this.#resolve(fallback, [...path, 3, 'DefaultValue']);
        return new Unresolved(expression, `Mappings has no ${keys.map(String).join(' → ')}`);
      }
      node = (node as Record<string, unknown>)[name];
    }
    return this.#resolve(node, path);
  }

  #cidr(argument: unknown, path: ValuePath, expression: string): unknown {
    const args = this.#resolve(argument, path);
    if (!Array.isArray(args) || args.length !== 3) {
      return new Unresolved(expression, 'Fn::Cidr takes [ipBlock, count, cidrBits]');
    }
    const [block, countValue, bitsValue] = args;
    const match = typeof block === 'string' ? /^(\d+)\.(\d+)\.(\d+)\.(\d+)\/(\d+)$/.exec(block) : null;
    const count = Number(countValue);
    const bits = Number(bitsValue);
    if (!match) return new Unresolved(expression, 'only IPv4 blocks (a.b.c.d/n) are computed locally');
    const octets = match.slice(1, 5).map(Number);
    const prefix = Number(match[5]);
    const subnetPrefix = 32 - bits;
    if (
      octets.some((octet) => octet > 255) ||
      !Number.isInteger(count) ||
      count < 1 ||
      count > 256 ||
      !Number.isInteger(bits) ||
      subnetPrefix < prefix ||
      subnetPrefix > 32 ||
      count > 2 ** (subnetPrefix - prefix)
    ) {
      return new Unresolved(expression, 'the block, count and cidrBits do not fit together');
    }
    const base = octets.reduce((sum, octet) => sum * 256 + octet, 0);
    const start = prefix === 0 ? 0 : base - (base % 2 ** (32 - prefix));
    return Array.from({ length: count }, (_, index) => {
      const address = start + index * 2 ** bits;
      const parts = [24, 16, 8, 0].map((shift) => Math.floor(address / 2 ** shift) % 256);
      return `${parts.join('.')}/${subnetPrefix}`;
    });
  }
}
