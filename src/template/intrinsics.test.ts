// biome-ignore-all lint/suspicious/noTemplateCurlyInString: CloudFormation's Fn::Sub syntax is ${Name}, in plain strings.
import { describe, expect, it } from 'vitest';
import {
  IntrinsicEvaluator,
  isIntrinsic,
  isUnresolved,
  pseudoParameters,
  type ResourceResolver,
  Unresolved,
} from './intrinsics.js';
import { parseTemplateSource } from './source.js';

const HEADER = `
Parameters: {}
Mappings:
  RegionMap:
    us-east-1: { Ami: ami-1111, Zones: [a, b] }
    eu-west-1: { Ami: ami-2222 }
Conditions:
  IsProd: !Equals [!Ref Stage, prod]
  IsDev: !Not [!Condition IsProd]
  IsUsEast: !Equals [!Ref AWS::Region, us-east-1]
  ProdInUs: !And [!Condition IsProd, !Condition IsUsEast]
  ProdOrUs: !Or [!Condition IsProd, !Condition IsUsEast]
  Unknowable: !Equals [!Ref NoDefault, x]
`;

const resources: ResourceResolver = {
  ref: (id) => ({ Fn: 'my-function', Table: 'orders', Api: 'Api' })[id],
  getAtt: (id, attribute) =>
    id === 'Fn' && attribute === 'Arn'
      ? 'arn:aws:lambda:us-east-1:123456789012:function:my-function'
      : undefined,
};

/** Evaluates `Value` of a small YAML document whose Mappings and Conditions are {@link HEADER}'s. */
function evaluate(valueYaml: string, parameters: Record<string, unknown> = {}): unknown {
  const source = parseTemplateSource(`${HEADER}\nValue: ${valueYaml}\n`, '/t/template.yaml');
  const root = source.value as Record<string, unknown>;
  const evaluator = new IntrinsicEvaluator({
    pseudo: pseudoParameters({ region: 'us-east-1', accountId: '123456789012', stackName: 'my-stack' }),
    parameters: new Map(
      Object.entries({
        Stage: 'prod',
        Subnets: ['s-1', 's-2'],
        NoDefault: new Unresolved('!Ref NoDefault', 'no value'),
        ...parameters,
      }),
    ),
    mappings: root.Mappings,
    conditions: root.Conditions,
    resources,
    include: (location) => ({ included: location }),
  });
  return evaluator.resolve(root.Value, ['Value']);
}

describe('intrinsic functions', () => {
  const cases: Array<[string, string, unknown]> = [
    ['Ref to a parameter', '!Ref Stage', 'prod'],
    ['Ref to a list parameter', '!Ref Subnets', ['s-1', 's-2']],
    ['Ref to a function → its name', '!Ref Fn', 'my-function'],
    ['Ref long form', '{ Ref: Table }', 'orders'],
    ['AWS::Region', '!Ref AWS::Region', 'us-east-1'],
    ['AWS::AccountId', '!Ref AWS::AccountId', '123456789012'],
    ['AWS::StackName', '!Ref AWS::StackName', 'my-stack'],
    ['AWS::Partition', '!Ref AWS::Partition', 'aws'],
    ['AWS::URLSuffix', '!Ref AWS::URLSuffix', 'amazonaws.com'],
    ['AWS::NoValue removes a key', '{ A: 1, B: !Ref AWS::NoValue }', { A: 1 }],
    ['AWS::NoValue removes a list item', '[1, !If [IsDev, 2, !Ref AWS::NoValue], 3]', [1, 3]],
    ['Sub with a parameter', "!Sub 'stage-${Stage}'", 'stage-prod'],
    [
      'Sub with Fn.Arn and pseudo parameters',
      "!Sub 'arn:aws:apigateway:${AWS::Region}:lambda:path/2021-11-15/functions/${Fn.Arn}/response-streaming-invocations'",
      'arn:aws:apigateway:us-east-1:lambda:path/2021-11-15/functions/arn:aws:lambda:us-east-1:123456789012:function:my-function/response-streaming-invocations',
    ],
    ['Sub sequence form', "!Sub ['${A}-${Stage}', { A: !Ref Table }]", 'orders-prod'],
    ['Sub escape ${!Literal}', "!Sub '${!Literal}-${Stage}'", '${Literal}-prod'],
    ['Sub long form', "{ 'Fn::Sub': '${AWS::AccountId}' }", '123456789012'],
    ['GetAtt dotted', '!GetAtt Fn.Arn', 'arn:aws:lambda:us-east-1:123456789012:function:my-function'],
    ['GetAtt sequence', '!GetAtt [Fn, Arn]', 'arn:aws:lambda:us-east-1:123456789012:function:my-function'],
    [
      'GetAtt long form',
      "{ 'Fn::GetAtt': [Fn, Arn] }",
      'arn:aws:lambda:us-east-1:123456789012:function:my-function',
    ],
    ['Join', "!Join ['-', [a, !Ref Stage, 3]]", 'a-prod-3'],
    ['Join of a list parameter', "!Join [',', !Ref Subnets]", 's-1,s-2'],
    ['Select', '!Select [1, [x, y, z]]', 'y'],
    ['Select with a string index', "!Select ['0', !Ref Subnets]", 's-1'],
    ['Split', "!Split [',', 'a,b,c']", ['a', 'b', 'c']],
    ['Select of Split', "!Select [2, !Split ['/', 'a/b/c']]", 'c'],
    ['If true', '!If [IsProd, 30, 5]', 30],
    ['If false', '!If [IsDev, 30, 5]', 5],
    ['If with And', '!If [ProdInUs, yes, no]', 'yes'],
    ['If with Or', '!If [ProdOrUs, yes, no]', 'yes'],
    ['Equals', '!Equals [!Ref Stage, prod]', true],
    ['Equals compares as strings', "!Equals [1, '1']", true],
    ['Not', '!Not [!Equals [a, b]]', true],
    ['And', '!And [!Equals [a, a], !Equals [b, c]]', false],
    ['Or', '!Or [!Equals [a, b], !Condition IsProd]', true],
    ['FindInMap', '!FindInMap [RegionMap, !Ref AWS::Region, Ami]', 'ami-1111'],
    ['FindInMap to a list', '!FindInMap [RegionMap, us-east-1, Zones]', ['a', 'b']],
    [
      'FindInMap with DefaultValue (LanguageExtensions)',
      '!FindInMap [RegionMap, ap-south-1, Ami, { DefaultValue: ami-0000 }]',
      'ami-0000',
    ],
    ['Base64', '!Base64 hello', 'aGVsbG8='],
    ['Base64 of Sub', "!Base64 { 'Fn::Sub': '${Stage}' }", 'cHJvZA=='],
    ['GetAZs', "!GetAZs ''", ['us-east-1a', 'us-east-1b', 'us-east-1c']],
    ['Select of GetAZs', "!Select [0, !GetAZs '']", 'us-east-1a'],
    ['Cidr', "!Cidr ['10.0.0.0/16', 3, 8]", ['10.0.0.0/24', '10.0.1.0/24', '10.0.2.0/24']],
    ['Cidr with a small block', "!Cidr ['192.168.1.0/24', 2, 6]", ['192.168.1.0/26', '192.168.1.64/26']],
    ['ToJsonString', '!ToJsonString { a: !Ref Stage }', '{"a":"prod"}'],
    ['Length', '!Length [1, 2, 3]', 3],
    [
      'Transform AWS::Include',
      '!Transform { Name: AWS::Include, Parameters: { Location: api.yaml } }',
      { included: 'api.yaml' },
    ],
    [
      'nested intrinsics in a mapping',
      '{ A: [!Ref Stage, { B: !Sub "${Stage}!" }] }',
      { A: ['prod', { B: 'prod!' }] },
    ],
  ];

  it.each(cases)('%s', (_name, yaml, expected) => {
    expect(evaluate(yaml)).toEqual(expected);
  });

  const unresolved: Array<[string, string, RegExp]> = [
    ['ImportValue', '!ImportValue shared-vpc', /another stack's exports/],
    ['GetAtt of a resource sluice does not know', '!GetAtt Queue.Arn', /only known once CloudFormation/],
    ['Ref to nothing', '!Ref Missing', /no parameter or resource named Missing/],
    ['a parameter without a value', '!Ref NoDefault', /no value/],
    ['If on an unknowable condition', '!If [Unknowable, a, b]', /no value/],
    ['an unknown condition', '!If [Nope, a, b]', /no condition Nope/],
    ['FindInMap with a missing key', '!FindInMap [RegionMap, ap-south-1, Ami]', /Mappings has no/],
    ['Select out of range', '!Select [5, [a]]', /outside the list/],
    ['a macro transform', '!Transform { Name: MyMacro, Parameters: {} }', /macro/],
    ['IPv6 Cidr', "!Cidr ['2001:db8::/56', 2, 64]", /IPv4/],
  ];

  it.each(unresolved)('%s stays unresolved, with the reason', (_name, yaml, reason) => {
    const value = evaluate(yaml);
    expect(isUnresolved(value)).toBe(true);
    expect((value as Unresolved).reason).toMatch(reason);
  });

  it('keeps the text of a Sub with an unresolvable part, with a marker in its place', () => {
    const value = evaluate("!Sub 'https://${Url}/${Stage}'", {
      Url: new Unresolved('!GetAtt FnUrl.FunctionUrl', 'not yet served'),
    }) as Unresolved;
    expect(value).toBeInstanceOf(Unresolved);
    expect(value.partial).toBe('https://<unresolved: !GetAtt FnUrl.FunctionUrl>/prod');
    expect(String(value)).toBe(`<unresolved: !Sub https://\${Url}/\${Stage}>`);
  });

  it('derives partition and URL suffix from the region', () => {
    expect(pseudoParameters({ region: 'cn-north-1', accountId: '1', stackName: 's' })).toMatchObject({
      partition: 'aws-cn',
      urlSuffix: 'amazonaws.com.cn',
    });
    expect(pseudoParameters({ region: 'us-gov-west-1', accountId: '1', stackName: 's' }).partition).toBe(
      'aws-us-gov',
    );
  });

  it('recognises long-form intrinsics and nothing else', () => {
    expect(isIntrinsic({ Ref: 'X' })).toBe(true);
    expect(isIntrinsic({ 'Fn::Join': ['', []] })).toBe(true);
    expect(isIntrinsic({ Ref: 'X', Other: 1 })).toBe(false);
    expect(isIntrinsic({ Condition: 'X' })).toBe(false);
    expect(isIntrinsic(['Ref'])).toBe(false);
  });
});
