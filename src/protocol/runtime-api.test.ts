import { describe, expect, it } from 'vitest';
import {
  ACCEPTED_BODY,
  DEFAULT_STREAM_CONTENT_TYPE,
  ERROR_DOCUMENT_CONTENT_TYPE,
  MAX_BUFFERED_RESPONSE_BYTES,
  MAX_STREAMED_RESPONSE_BYTES,
  RUNTIME_API_VERSION,
  RuntimeApiPath,
  RuntimeHeader,
  STREAMING_RESPONSE_MODE,
} from './runtime-api.js';

describe('RuntimeApiPath', () => {
  it('has the fixed paths of the 2018-06-01 API', () => {
    expect(RUNTIME_API_VERSION).toBe('2018-06-01');
    expect(RuntimeApiPath.next).toBe('/2018-06-01/runtime/invocation/next');
    expect(RuntimeApiPath.initError).toBe('/2018-06-01/runtime/init/error');
  });

  it('URI-encodes request ids', () => {
    expect(RuntimeApiPath.response('a/b c')).toBe('/2018-06-01/runtime/invocation/a%2Fb%20c/response');
    expect(RuntimeApiPath.error('a/b c')).toBe('/2018-06-01/runtime/invocation/a%2Fb%20c/error');
    expect(RuntimeApiPath.response('?#%é')).toBe('/2018-06-01/runtime/invocation/%3F%23%25%C3%A9/response');
  });

  it('leaves an ordinary request id as it is', () => {
    const id = '8476a536-e9f4-11e8-9739-2dfe598c3fcd';
    expect(RuntimeApiPath.response(id)).toBe(`/2018-06-01/runtime/invocation/${id}/response`);
  });
});

describe('constants', () => {
  it('MAX_BUFFERED_RESPONSE_BYTES is 6 MiB + 100 bytes', () => {
    expect(MAX_BUFFERED_RESPONSE_BYTES).toBe(6291556);
  });

  it('MAX_STREAMED_RESPONSE_BYTES is 200 MiB', () => {
    expect(MAX_STREAMED_RESPONSE_BYTES).toBe(209715200);
  });

  it("ACCEPTED_BODY is RAPID's exact 202 body, newline included", () => {
    expect(ACCEPTED_BODY).toBe('{"status":"OK"}\n');
    expect(ACCEPTED_BODY.length).toBe(16);
  });

  it('content types and the response mode match the wire', () => {
    expect(STREAMING_RESPONSE_MODE).toBe('streaming');
    expect(DEFAULT_STREAM_CONTENT_TYPE).toBe('application/octet-stream');
    expect(ERROR_DOCUMENT_CONTENT_TYPE).toBe('application/vnd.aws.lambda.error+json');
  });

  it('header names are the documented spellings', () => {
    expect(RuntimeHeader.requestId).toBe('Lambda-Runtime-Aws-Request-Id');
    expect(RuntimeHeader.responseMode).toBe('Lambda-Runtime-Function-Response-Mode');
    expect(RuntimeHeader.errorType).toBe('Lambda-Runtime-Function-Error-Type');
    expect(RuntimeHeader.errorBody).toBe('Lambda-Runtime-Function-Error-Body');
  });
});
