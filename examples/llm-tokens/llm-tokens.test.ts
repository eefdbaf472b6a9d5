import { describe, expect, it } from 'vitest';
import { curl } from '../support/curl.js';
import { useDevServer } from '../support/dev-server.js';
import { timedFetch } from '../support/fetch.js';
import { generate } from './src/tokens.js';

// Server-sent events through `sluice dev`: a browser-style fetch reads tokens as the stand-in model produces
// them, and the CORS preflight gets the function URL's configured answer.

interface SseEvent {
  id?: string;
  data: string;
  at: number;
}

/** An incremental SSE parser: feed it chunks as they arrive; events are stamped with their arrival. */
class SseParser {
  readonly events: SseEvent[] = [];
  #pending = '';

  push(text: string, at: number): void {
    this.#pending += text;
    let end = this.#pending.indexOf('\n\n');
    while (end !== -1) {
      const block = this.#pending.slice(0, end);
      this.#pending = this.#pending.slice(end + 2);
      const event: SseEvent = { data: '', at };
      const data: string[] = [];
      for (const field of block.split('\n')) {
        const colon = field.indexOf(':');
        const name = colon === -1 ? field : field.slice(0, colon);
        const value = colon === -1 ? '' : field.slice(colon + 1).replace(/^ /, '');
        if (name === 'id') event.id = value;
        if (name === 'data') data.push(value);
      }
      event.data = data.join('\n');
      this.events.push(event);
      end = this.#pending.indexOf('\n\n');
    }
  }

  get rest(): string {
    return this.#pending;
  }
}

async function expectedTokens(prompt: string): Promise<string[]> {
  const tokens: string[] = [];
  for await (const token of generate(prompt, 0)) tokens.push(token);
  return tokens;
}

describe('llm-tokens', () => {
  const dev = useDevServer('llm-tokens');

  it('streams tokens as server-sent events over time, ending with [DONE] (fetch)', async () => {
    const parser = new SseParser();
    const decoder = new TextDecoder();
    const result = await timedFetch(
      dev().functionUrl('Tokens'),
      {
        method: 'POST',
        headers: { 'content-type': 'application/json', origin: 'https://chat.example' },
        body: JSON.stringify({ prompt: 'hi', delayMs: 150 }),
      },
      (chunk) => parser.push(decoder.decode(chunk.data, { stream: true }), chunk.at),
    );
    expect(result.status).toBe(200);
    expect(result.headers.get('content-type')).toBe('text/event-stream');
    expect(result.headers.get('cache-control')).toBe('no-cache');
    expect(result.headers.get('access-control-allow-origin')).toBe('*');
    expect(parser.rest).toBe('');

    const want = await expectedTokens('hi');
    const events = parser.events;
    expect(events.at(-1)).toMatchObject({ data: '[DONE]' });
    expect(result.body.toString('utf8').endsWith('data: [DONE]\n\n')).toBe(true);
    const tokens = events.slice(0, -1);
    expect(tokens.map((event) => event.id)).toEqual(want.map((_, index) => String(index)));
    expect(tokens.map((event) => (JSON.parse(event.data) as { token: string }).token)).toEqual(want);
    expect(tokens.map((event) => (JSON.parse(event.data) as { token: string }).token).join('')).toBe(
      'You asked: "hi". Streaming lets every token reach you the moment it is ready, instead of after the whole answer.',
    );

    // Over time, not all at once: 20 tokens 150 ms apart arrive in many reads spread over ~3 s.
    const arrivals = new Set(tokens.map((event) => event.at));
    expect(arrivals.size).toBeGreaterThanOrEqual(want.length / 2);
    expect(tokens.at(-1)!.at - tokens[0]!.at).toBeGreaterThanOrEqual(((want.length - 1) * 150) / 2);
  }, 30_000);

  it('answers the CORS preflight with the configured Access-Control-Allow-* headers (curl)', async () => {
    const result = await curl(dev().functionUrl('Tokens'), {
      method: 'OPTIONS',
      headers: {
        origin: 'https://chat.example',
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'content-type',
      },
    });
    expect(result.exitCode, result.stderr).toBe(0);
    expect(result.status).toBe(200);
    expect(result.headers['access-control-allow-origin']).toBe('*');
    expect(result.headers['access-control-allow-methods']).toBe('POST');
    expect(result.headers['access-control-allow-headers']).toBe('content-type');
    expect(result.body.length).toBe(0);
  });
});
