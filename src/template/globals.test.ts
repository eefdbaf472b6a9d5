import { describe, expect, it } from 'vitest';
import { globalsFor, mergeGlobals } from './globals.js';

describe('Globals merge (SAM rules)', () => {
  it('lets the resource override scalars', () => {
    expect(mergeGlobals({ Runtime: 'nodejs20.x', Timeout: 10 }, { Timeout: 1 })).toEqual({
      Runtime: 'nodejs20.x',
      Timeout: 1,
    });
  });

  it('merges maps recursively, the resource winning', () => {
    expect(
      mergeGlobals(
        { Environment: { Variables: { TABLE: 'foo', DB: 'generic' } } },
        { Environment: { Variables: { DB: 'mine', CONN: 'bar' } } },
      ),
    ).toEqual({ Environment: { Variables: { TABLE: 'foo', DB: 'mine', CONN: 'bar' } } });
  });

  it('appends lists, globals first, duplicates kept', () => {
    expect(mergeGlobals({ Layers: ['a', 'b'] }, { Layers: ['a', 'c'] })).toEqual({
      Layers: ['a', 'b', 'a', 'c'],
    });
  });

  it('treats intrinsic functions as scalars', () => {
    expect(mergeGlobals({ CodeUri: { 'Fn::Sub': 'x' } }, { CodeUri: { 'Fn::Sub': 'y' } })).toEqual({
      CodeUri: { 'Fn::Sub': 'y' },
    });
    expect(
      mergeGlobals({ Environment: { Variables: { A: '1' } } }, { Environment: { 'Fn::If': ['C', {}, {}] } }),
    ).toEqual({ Environment: { 'Fn::If': ['C', {}, {}] } });
  });

  it('takes the resource value when the kinds differ', () => {
    expect(mergeGlobals({ CodeUri: 's3://b/k' }, { CodeUri: { Bucket: 'b', Key: 'k' } })).toEqual({
      CodeUri: { Bucket: 'b', Key: 'k' },
    });
  });

  it('keeps global-only and resource-only properties', () => {
    expect(mergeGlobals({ MemorySize: 128 }, { Handler: 'a.b' })).toEqual({
      MemorySize: 128,
      Handler: 'a.b',
    });
    expect(mergeGlobals(undefined, { Handler: 'a.b' })).toEqual({ Handler: 'a.b' });
  });

  it('finds the section for a resource type', () => {
    const globals = { Function: { Timeout: 3 }, Api: { Cors: '*' } };
    expect(globalsFor(globals, 'AWS::Serverless::Function')).toEqual({ Timeout: 3 });
    expect(globalsFor(globals, 'AWS::Serverless::Api')).toEqual({ Cors: '*' });
    expect(globalsFor(globals, 'AWS::Lambda::Function')).toBeUndefined();
    expect(globalsFor(undefined, 'AWS::Serverless::Function')).toBeUndefined();
  });
});
