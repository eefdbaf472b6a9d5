import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  functionArn,
  isLatest,
  matchInvokePath,
  parseFunctionName,
  resolveInvokeTarget,
} from './function-name.js';

describe('parseFunctionName', () => {
  it.each([
    ['my-function', { name: 'my-function' }],
    ['my-function:v1', { name: 'my-function', qualifier: 'v1' }],
    ['my-function:$LATEST', { name: 'my-function', qualifier: '$LATEST' }],
    ['123456789012:function:my-function', { name: 'my-function', accountId: '123456789012' }],
    [
      '123456789012:function:my-function:prod',
      { name: 'my-function', accountId: '123456789012', qualifier: 'prod' },
    ],
    [
      'arn:aws:lambda:us-west-2:123456789012:function:my-function',
      { name: 'my-function', region: 'us-west-2', accountId: '123456789012' },
    ],
    [
      'arn:aws-us-gov:lambda:us-gov-west-1:123456789012:function:f_1:$LATEST',
      { name: 'f_1', region: 'us-gov-west-1', accountId: '123456789012', qualifier: '$LATEST' },
    ],
  ])('parses %s', (value, expected) => {
    expect(parseFunctionName(value)).toEqual(expected);
  });

  it.each(['', 'has space', 'a:b:c:d', 'arn:aws:lambda:us-east-1:123:function:f', 'f:', 'f:quali:fier'])(
    'rejects %j',
    (value) => {
      expect(parseFunctionName(value)).toBeUndefined();
    },
  );

  it('round-trips every valid name through an ARN', () => {
    fc.assert(
      fc.property(
        fc.stringMatching(/^[a-zA-Z0-9_-]{1,64}$/),
        fc.option(fc.stringMatching(/^[a-zA-Z0-9_-]{1,20}$/), { nil: undefined }),
        (name, qualifier) => {
          const parsed = parseFunctionName(functionArn('eu-west-1', '123456789012', name, qualifier));
          expect(parsed?.name).toBe(name);
          expect(parsed?.qualifier).toBe(qualifier);
        },
      ),
    );
  });
});

describe('matchInvokePath', () => {
  it('recognises both invoke APIs and nothing else', () => {
    expect(matchInvokePath('/2015-03-31/functions/f/invocations')).toEqual({ api: 'invoke', label: 'f' });
    expect(matchInvokePath('/2021-11-15/functions/f/response-streaming-invocations')).toEqual({
      api: 'response-stream',
      label: 'f',
    });
    // cargo-lambda's mistake: the streaming operation under the Invoke API version.
    expect(matchInvokePath('/2015-03-31/functions/f/response-streaming-invocations')).toBeUndefined();
    expect(matchInvokePath('/2015-03-31/functions/')).toBeUndefined();
    expect(matchInvokePath('/2018-06-01/runtime/invocation/next')).toBeUndefined();
  });
});

describe('resolveInvokeTarget', () => {
  it('URL-decodes ARNs as the SDKs percent-encode them', () => {
    const label = encodeURIComponent('arn:aws:lambda:us-east-1:123456789012:function:f:prod');
    expect(resolveInvokeTarget(label, null)).toEqual({ ok: true, target: { name: 'f', qualifier: 'prod' } });
  });

  it('takes the qualifier from ?Qualifier= when the name has none', () => {
    expect(resolveInvokeTarget('f', '$LATEST')).toEqual({
      ok: true,
      target: { name: 'f', qualifier: '$LATEST' },
    });
  });

  it('accepts the same qualifier twice but rejects a conflict, as Lambda does', () => {
    expect(resolveInvokeTarget('f%3Av1', 'v1')).toEqual({ ok: true, target: { name: 'f', qualifier: 'v1' } });
    const conflict = resolveInvokeTarget('f%3Av1', 'v2');
    expect(conflict.ok).toBe(false);
    if (!conflict.ok) {
      expect(conflict.error.type).toBe('InvalidParameterValueException');
      expect(conflict.error.message).toBe(
        'The derived qualifier from the function name does not match the specified qualifier.',
      );
    }
  });

  it('answers a malformed name with a ValidationException', () => {
    const result = resolveInvokeTarget('bad%20name', null);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.error.status).toBe(400);
      expect(result.error.type).toBe('ValidationException');
      expect(result.error.message).toMatch(
        /^1 validation error detected: Value 'bad name' at 'functionName'/,
      );
    }
  });

  it('treats unqualified and $LATEST alike', () => {
    expect(isLatest(undefined)).toBe(true);
    expect(isLatest('$LATEST')).toBe(true);
    expect(isLatest('1')).toBe(false);
  });
});
