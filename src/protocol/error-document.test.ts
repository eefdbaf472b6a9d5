import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  decodeErrorBody,
  ERROR_TRAILER_NAMES,
  type ErrorDocument,
  encodeErrorBody,
  errorTrailers,
  parseErrorDocument,
  readErrorTrailers,
  sanitizeErrorType,
  toErrorDocument,
} from './error-document.js';

// runtime-api.md §2.3: the complete example of the body trailer's encoding.
const GOLDEN_DOCUMENT: ErrorDocument = { errorType: 'Error', errorMessage: 'boom', trace: ['Error: boom'] };
const GOLDEN_BODY =
  'eyJlcnJvclR5cGUiOiJFcnJvciIsImVycm9yTWVzc2FnZSI6ImJvb20iLCJ0cmFjZSI6WyJFcnJvcjogYm9vbSJdfQ==';

describe('encodeErrorBody / decodeErrorBody', () => {
  it('encodes the golden example of runtime-api.md §2.3', () => {
    expect(encodeErrorBody(GOLDEN_DOCUMENT)).toBe(GOLDEN_BODY);
  });

  it('decodes the golden example', () => {
    expect(decodeErrorBody(GOLDEN_BODY)).toEqual(GOLDEN_DOCUMENT);
  });

  it("returns undefined for Swift's literal 'Requires base64'", () => {
    expect(decodeErrorBody('Requires base64')).toBeUndefined();
  });

  it.each([
    ['not base64 at all', 'not base64!'],
    ['unpadded base64', 'e30'],
    ['the URL-safe alphabet', 'eyJlcnJvclR5cGUiOiJFIiwiZXJyb3JNZXNzYWdlIjoiPz8_Pj4-In0='],
    ['base64 with inner whitespace', 'e3 0='],
    ['base64 of text that is not JSON', Buffer.from('hello').toString('base64')],
    ['base64 of a JSON array', Buffer.from('[1,2]').toString('base64')],
    ['the empty string', ''],
  ])('returns undefined for %s', (_name, value) => {
    expect(decodeErrorBody(value)).toBeUndefined();
  });

  it('accepts + and / of the standard alphabet', () => {
    expect(decodeErrorBody('eyJlcnJvclR5cGUiOiJFIiwiZXJyb3JNZXNzYWdlIjoiPz8/Pj4+In0=')).toEqual({
      errorType: 'E',
      errorMessage: '???>>>',
    });
  });

  it('tolerates whitespace around the value', () => {
    expect(decodeErrorBody(`  \t${GOLDEN_BODY}\r\n `)).toEqual(GOLDEN_DOCUMENT);
  });

  it('decodes padded base64 of an empty object with defaults', () => {
    expect(decodeErrorBody('e30=')).toEqual({ errorType: 'Unknown', errorMessage: '' });
  });

  it('round-trips arbitrary unicode documents', () => {
    const text = fc.string({ unit: 'binary', maxLength: 40 });
    fc.assert(
      fc.property(text, text, fc.array(text, { maxLength: 5 }), (errorType, errorMessage, trace) => {
        const document: ErrorDocument = { errorType, errorMessage, trace };
        const encoded = encodeErrorBody(document);
        expect(encoded).toMatch(/^[A-Za-z0-9+/]*={0,2}$/);
        expect(encoded.length % 4).toBe(0);
        expect(decodeErrorBody(encoded)).toEqual(document);
      }),
    );
  });
});

describe('toErrorDocument', () => {
  it('uses the name, message and stack lines of an Error subclass', () => {
    const error = new RangeError('boom');
    const document = toErrorDocument(error);
    expect(document.errorType).toBe('RangeError');
    expect(document.errorMessage).toBe('boom');
    expect(document.trace).toEqual(error.stack?.split('\n'));
    expect(document.trace?.[0]).toBe('RangeError: boom');
    expect(document.trace?.length).toBeGreaterThan(1);
  });

  it('uses a custom name', () => {
    class ValidationError extends Error {
      override name = 'ValidationError';
    }
    expect(toErrorDocument(new ValidationError('bad input'))).toMatchObject({
      errorType: 'ValidationError',
      errorMessage: 'bad input',
    });
    const renamed = new Error('x');
    renamed.name = 'Function.Custom';
    expect(toErrorDocument(renamed).errorType).toBe('Function.Custom');
  });

  it.each([
    ['a string', 'oops', { errorType: 'string', errorMessage: 'oops', trace: [] }],
    ['a number', 42, { errorType: 'number', errorMessage: '42', trace: [] }],
    ['a plain object', { a: 1 }, { errorType: 'object', errorMessage: '[object Object]', trace: [] }],
    ['undefined', undefined, { errorType: 'undefined', errorMessage: 'undefined', trace: [] }],
    ['null', null, { errorType: 'object', errorMessage: 'null', trace: [] }],
    ['a boolean', false, { errorType: 'boolean', errorMessage: 'false', trace: [] }],
  ])('uses typeof and String() for %s', (_name, thrown, expected) => {
    expect(toErrorDocument(thrown)).toEqual(expected);
  });

  it('survives a thrown value whose String() throws', () => {
    expect(toErrorDocument(Object.create(null))).toEqual({
      errorType: 'object',
      errorMessage: '[object Object]',
      trace: [],
    });
  });

  it('treats a duck-typed error object as an error', () => {
    const duck = {
      name: 'DuckError',
      message: 'quack',
      stack: 'DuckError: quack\n    at pond (pond.js:1:1)',
    };
    expect(toErrorDocument(duck)).toEqual({
      errorType: 'DuckError',
      errorMessage: 'quack',
      trace: ['DuckError: quack', '    at pond (pond.js:1:1)'],
    });
  });

  it('does not treat an object without a stack as an error', () => {
    expect(toErrorDocument({ name: 'X', message: 'y' }).errorType).toBe('object');
  });

  it('escapes DEL (0x7F) as %7F in type, message and trace', () => {
    const error = new Error('a\x7Fb');
    error.name = 'Bad\x7FName';
    const document = toErrorDocument(error);
    expect(document.errorType).toBe('Bad%7FName');
    expect(document.errorMessage).toBe('a%7Fb');
    expect(document.trace?.join('\n')).not.toContain('\x7F');
    expect(document.trace?.[0]).toContain('a%7Fb');
  });
});

describe('parseErrorDocument', () => {
  it('accepts trace (what Node sends)', () => {
    expect(parseErrorDocument('{"errorType":"E","errorMessage":"m","trace":["a","b"]}')).toEqual({
      errorType: 'E',
      errorMessage: 'm',
      trace: ['a', 'b'],
    });
  });

  it("accepts stackTrace (AWS's spec)", () => {
    const document = parseErrorDocument('{"errorType":"E","errorMessage":"m","stackTrace":["a"]}');
    expect(document).toEqual({ errorType: 'E', errorMessage: 'm', stackTrace: ['a'] });
    expect(document).not.toHaveProperty('trace');
  });

  it('fills missing fields', () => {
    const document = parseErrorDocument('{}');
    expect(document).toEqual({ errorType: 'Unknown', errorMessage: '' });
    expect(document).not.toHaveProperty('trace');
    expect(document).not.toHaveProperty('stackTrace');
    expect(parseErrorDocument('{"errorMessage":"x"}')).toEqual({ errorType: 'Unknown', errorMessage: 'x' });
  });

  it('ignores fields of the wrong type and stringifies trace lines', () => {
    expect(parseErrorDocument('{"errorType":1,"errorMessage":{},"trace":[1,null,"x"]}')).toEqual({
      errorType: 'Unknown',
      errorMessage: '',
      trace: ['1', 'null', 'x'],
    });
    expect(parseErrorDocument('{"errorType":"E","errorMessage":"m","trace":"not an array"}')).toEqual({
      errorType: 'E',
      errorMessage: 'm',
    });
  });

  it('drops extra fields such as errorCause', () => {
    const document = parseErrorDocument(
      '{"errorType":"E","errorMessage":"m","errorCause":{"paths":[]},"extra":true}',
    );
    expect(document).toStrictEqual({ errorType: 'E', errorMessage: 'm' });
  });

  it.each([
    ['an array', '[]'],
    ['a number', '42'],
    ['a string', '"text"'],
    ['null', 'null'],
    ['not JSON', 'boom'],
    ['empty text', ''],
  ])('rejects %s', (_name, text) => {
    expect(parseErrorDocument(text)).toBeUndefined();
  });
});

describe('error trailers', () => {
  it('names the two trailers AWS documents', () => {
    expect(ERROR_TRAILER_NAMES).toEqual([
      'Lambda-Runtime-Function-Error-Type',
      'Lambda-Runtime-Function-Error-Body',
    ]);
    expect(errorTrailers(GOLDEN_DOCUMENT)).toEqual({
      'Lambda-Runtime-Function-Error-Type': 'Error',
      'Lambda-Runtime-Function-Error-Body': GOLDEN_BODY,
    });
  });

  it('reads trailer names case-insensitively', () => {
    expect(
      readErrorTrailers({
        'lambda-runtime-function-error-type': 'RangeError',
        'LAMBDA-RUNTIME-FUNCTION-ERROR-BODY': GOLDEN_BODY,
      }),
    ).toEqual({ errorType: 'RangeError', document: GOLDEN_DOCUMENT });
  });

  it('takes the first value of string[] trailers', () => {
    expect(
      readErrorTrailers({
        'Lambda-Runtime-Function-Error-Type': ['First', 'Second'],
        'lambda-runtime-function-error-body': [GOLDEN_BODY, 'e30='],
      }),
    ).toEqual({ errorType: 'First', document: GOLDEN_DOCUMENT });
  });

  it('keeps the type when the body trailer is missing or undecodable', () => {
    expect(readErrorTrailers({ 'lambda-runtime-function-error-type': 'Unhandled' })).toEqual({
      errorType: 'Unhandled',
      document: undefined,
    });
    expect(
      readErrorTrailers({
        'lambda-runtime-function-error-type': 'Unhandled',
        'lambda-runtime-function-error-body': 'Requires base64',
      }),
    ).toEqual({ errorType: 'Unhandled', document: undefined });
  });

  it('returns undefined without an error-type trailer', () => {
    expect(readErrorTrailers({})).toBeUndefined();
    expect(readErrorTrailers({ 'lambda-runtime-function-error-body': GOLDEN_BODY })).toBeUndefined();
    expect(readErrorTrailers({ 'lambda-runtime-function-error-type': undefined })).toBeUndefined();
  });

  it('reads back what errorTrailers wrote', () => {
    const document = toErrorDocument(new TypeError('mid-stream'));
    expect(readErrorTrailers(errorTrailers(document))).toEqual({ errorType: 'TypeError', document });
  });
});

describe('sanitizeErrorType', () => {
  it.each([
    ['Runtime.ImportModuleError', 'Runtime.ImportModuleError'],
    ['Function.MyError', 'Function.MyError'],
    ['RangeError', 'Runtime.Unknown'],
    ['Function.bad', 'Function.Unknown'],
    ['Function.', 'Function.Unknown'],
    ['Runtime.bad', 'Runtime.Unknown'],
    ['Unhandled', 'Runtime.Unknown'],
    ['', 'Runtime.Unknown'],
    [undefined, 'Runtime.Unknown'],
    // RAPID's regex is unanchored: a valid type anywhere in the value keeps the whole value.
    ['xx Runtime.Foo yy', 'xx Runtime.Foo yy'],
    ['Function.X', 'Function.Unknown'],
  ])('%j → %s', (input, expected) => {
    expect(sanitizeErrorType(input)).toBe(expected);
  });
});
