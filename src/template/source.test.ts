// biome-ignore-all lint/suspicious/noTemplateCurlyInString: CloudFormation's Fn::Sub syntax is ${Name}, in plain strings.
import { describe, expect, it } from 'vitest';
import { TemplateError, TemplateErrorCode } from './errors.js';
import { parseTemplateSource } from './source.js';

const value = (yaml: string) => (parseTemplateSource(yaml, '/t/template.yaml').value as { V: unknown }).V;

describe('short-form tags become long forms', () => {
  const cases: Array<[string, unknown]> = [
    ['!Ref Name', { Ref: 'Name' }],
    ["!Sub 'a-${B}'", { 'Fn::Sub': 'a-${B}' }],
    ['!Sub [x, { A: 1 }]', { 'Fn::Sub': ['x', { A: 1 }] }],
    ['!GetAtt Fn.Arn', { 'Fn::GetAtt': ['Fn', 'Arn'] }],
    ['!GetAtt Db.Endpoint.Address', { 'Fn::GetAtt': ['Db', 'Endpoint.Address'] }],
    ['!GetAtt [Fn, Arn]', { 'Fn::GetAtt': ['Fn', 'Arn'] }],
    ["!Join ['', [a, !Ref B]]", { 'Fn::Join': ['', ['a', { Ref: 'B' }]] }],
    ['!If [C, 1, 2]', { 'Fn::If': ['C', 1, 2] }],
    ['!Select [0, !GetAZs ""]', { 'Fn::Select': [0, { 'Fn::GetAZs': '' }] }],
    ["!Split [',', x]", { 'Fn::Split': [',', 'x'] }],
    ['!FindInMap [M, a, b]', { 'Fn::FindInMap': ['M', 'a', 'b'] }],
    ['!ImportValue shared', { 'Fn::ImportValue': 'shared' }],
    ['!Base64 { Ref: X }', { 'Fn::Base64': { Ref: 'X' } }],
    ['!Equals [a, b]', { 'Fn::Equals': ['a', 'b'] }],
    ['!And [!Condition A, !Condition B]', { 'Fn::And': [{ Condition: 'A' }, { Condition: 'B' }] }],
    ['!Or [!Condition A]', { 'Fn::Or': [{ Condition: 'A' }] }],
    ['!Not [!Condition A]', { 'Fn::Not': [{ Condition: 'A' }] }],
    ["!Cidr ['10.0.0.0/16', 2, 8]", { 'Fn::Cidr': ['10.0.0.0/16', 2, 8] }],
    [
      '!Transform { Name: AWS::Include, Parameters: { Location: a.yaml } }',
      { 'Fn::Transform': { Name: 'AWS::Include', Parameters: { Location: 'a.yaml' } } },
    ],
  ];
  it.each(cases)('%s', (yaml, expected) => {
    expect(value(`V: ${yaml}\n`)).toEqual(expected);
  });

  it('reads block forms and long forms alike', () => {
    const yaml = "V:\n  Fn::Sub:\n    - '${A}'\n    - A: !Ref B\n";
    expect(value(yaml)).toEqual({ 'Fn::Sub': ['${A}', { A: { Ref: 'B' } }] });
  });

  it('reads JSON templates, with positions', () => {
    const source = parseTemplateSource(
      '{\n\t"Resources": {\n\t\t"Fn": { "Type": "AWS::Serverless::Function", "Properties": { "Handler": { "Ref": "H" } } }\n\t}\n}\n',
      '/t/template.json',
    );
    expect(source.value).toEqual({
      Resources: { Fn: { Type: 'AWS::Serverless::Function', Properties: { Handler: { Ref: 'H' } } } },
    });
    expect(source.locate(['Resources', 'Fn', 'Properties', 'Handler'])).toEqual({
      file: '/t/template.json',
      line: 3,
      column: 64,
    });
  });

  it('resolves YAML aliases', () => {
    expect(value('A: &shared { Timeout: 3 }\nV: *shared\n')).toEqual({ Timeout: 3 });
  });
});

describe('positions and problems', () => {
  it('locates values and falls back to the nearest ancestor', () => {
    const source = parseTemplateSource(
      'Resources:\n  Fn:\n    Type: AWS::Serverless::Function\n    Properties:\n      Handler: app.handler\n',
      '/t/template.yaml',
    );
    expect(source.locate(['Resources', 'Fn', 'Properties', 'Handler'])).toMatchObject({
      line: 5,
      column: 16,
    });
    expect(source.locate(['Resources', 'Fn', 'Properties', 'Nope', 'Deeper'])).toMatchObject({
      line: 4,
      column: 5,
    });
    expect(source.locate(['Resources', 'Fn'])).toMatchObject({ line: 2, column: 3 });
  });

  it('keeps the last of duplicate keys and warns with the line (examples.md §2.4)', () => {
    const source = parseTemplateSource('Outputs:\n  A: 1\n  A: 2\n', '/t/template.yaml');
    expect(source.value).toEqual({ Outputs: { A: 2 } });
    expect(source.warnings).toEqual([
      '/t/template.yaml:3:3: duplicate key "A"; the last one is used, as SAM CLI does',
    ]);
  });

  it('reports a syntax error as SLUICE_TEMPLATE_SYNTAX with file:line:column and the line', () => {
    let error: unknown;
    try {
      parseTemplateSource("Resources:\n  Fn:\n    Type: 'AWS::Serverless::Function\n", '/t/template.yaml');
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(TemplateError);
    expect((error as TemplateError).code).toBe(TemplateErrorCode.syntax);
    expect((error as TemplateError).location).toEqual({ file: '/t/template.yaml', line: 4, column: 1 });
    expect((error as TemplateError).message).toMatch(/^\/t\/template\.yaml:4:1: Missing closing 'quote/);
  });

  it('reports bad indentation at its line', () => {
    expect(() =>
      parseTemplateSource('Resources:\n  Fn:\n    Type: x\n   Properties: {}\n', '/t/template.yaml'),
    ).toThrow(/^\/t\/template\.yaml:4:\d+: /);
  });

  it('warns about tags that are not intrinsics', () => {
    const source = parseTemplateSource('V: !Bogus x\n', '/t/template.yaml');
    expect(source.warnings[0]).toMatch(/^\/t\/template\.yaml:1:4: Unresolved tag: !Bogus/);
  });
});
