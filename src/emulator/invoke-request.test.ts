import type { IncomingMessage } from 'node:http';
import { describe, expect, it } from 'vitest';
import { checkJsonPayload, headerSafeJson, newTraceId, parseInvokeHeaders } from './invoke-request.js';

const request = (headers: Record<string, string>) => ({ headers }) as unknown as IncomingMessage;

describe('parseInvokeHeaders', () => {
  it('defaults to RequestResponse without a log tail', () => {
    const parsed = parseInvokeHeaders(request({}), 'invoke');
    expect(parsed).toMatchObject({
      ok: true,
      headers: { invocationType: 'RequestResponse', logTail: false },
    });
  });

  it('rejects Event on InvokeWithResponseStream, whose model allows RequestResponse and DryRun only', () => {
    const parsed = parseInvokeHeaders(request({ 'x-amz-invocation-type': 'Event' }), 'response-stream');
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) {
      expect(parsed.error.type).toBe('ValidationException');
      expect(parsed.error.message).toContain('Member must satisfy enum value set: [RequestResponse, DryRun]');
    }
  });

  it('rejects an unknown log type', () => {
    expect(parseInvokeHeaders(request({ 'x-amz-log-type': 'All' }), 'invoke').ok).toBe(false);
  });

  it('decodes the client context and rejects one that is not a base64 JSON object', () => {
    const encoded = Buffer.from('{ "custom": { "a": 1 } }').toString('base64');
    const parsed = parseInvokeHeaders(request({ 'x-amz-client-context': encoded }), 'invoke');
    expect(parsed).toMatchObject({ ok: true, headers: { clientContext: '{"custom":{"a":1}}' } });
    const bad = parseInvokeHeaders(
      request({ 'x-amz-client-context': Buffer.from('[1]').toString('base64') }),
      'invoke',
    );
    expect(bad).toMatchObject({ ok: false, error: { type: 'InvalidRequestContentException' } });
  });

  it('keeps the caller’s trace header, or makes an X-Ray one', () => {
    const given = 'Root=1-5759e988-bd862e3fe1be46a994272793;Sampled=1';
    expect(parseInvokeHeaders(request({ 'x-amzn-trace-id': given }), 'invoke')).toMatchObject({
      headers: { traceId: given },
    });
    expect(newTraceId()).toMatch(/^Root=1-[0-9a-f]{8}-[0-9a-f]{24};Parent=[0-9a-f]{16};Sampled=0$/);
  });
});

describe('headerSafeJson', () => {
  it('escapes what an HTTP header cannot carry, keeping the JSON value', () => {
    const value = { name: 'Zoë', note: 'line\nbreak', emoji: '🙂' };
    const text = headerSafeJson(value);
    expect(text).toMatch(/^[\x20-\x7e]*$/);
    expect(JSON.parse(text)).toEqual(value);
  });
});

describe('checkJsonPayload', () => {
  it('accepts any JSON value and rejects anything else', () => {
    expect(checkJsonPayload(Buffer.from('"text"'))).toBeUndefined();
    expect(checkJsonPayload(Buffer.from('[1,2]'))).toBeUndefined();
    expect(checkJsonPayload(Buffer.from('hello'))?.type).toBe('InvalidRequestContentException');
  });
});
