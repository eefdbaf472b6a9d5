/**
 * The most common use of response streaming today: a language model's tokens as server-sent events
 * (`text/event-stream`), each sent as soon as it is "generated". The model here is a stand-in that emits a
 * fixed answer word by word with a small delay, so the example runs offline; swap `generate` for a Bedrock
 * or OpenAI stream in a real function.
 */
import { streamingHandler } from 'sluice';

interface ChatRequest {
  prompt?: string;
  delayMs?: number;
}

/** A stand-in model: yields the answer's tokens one at a time. */
export async function* generate(prompt: string, delayMs: number): AsyncGenerator<string> {
  const answer = `You asked: "${prompt}". Streaming lets every token reach you the moment it is ready, instead of after the whole answer.`;
  for (const token of answer.match(/\S+\s*/g) ?? []) {
    await new Promise((resolve) => setTimeout(resolve, delayMs));
    yield token;
  }
}

/** Reads the request whether it came straight (Invoke) or through a function URL (payload 2.0 event). */
export function readRequest(event: unknown): ChatRequest {
  const e = event as { body?: string; isBase64Encoded?: boolean } & ChatRequest;
  if (typeof e?.body === 'string') {
    const text = e.isBase64Encoded ? Buffer.from(e.body, 'base64').toString('utf8') : e.body;
    try {
      return JSON.parse(text) as ChatRequest;
    } catch {
      return { prompt: text };
    }
  }
  return e ?? {};
}

export const handler = streamingHandler(async (event, writer) => {
  const request = readRequest(event);
  const delay = Math.min(Math.max(Number(request.delayMs ?? 100), 0), 2000);
  await writer.writeStatusAndHeaders({
    statusCode: 200,
    headers: { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-cache' },
  });
  let index = 0;
  for await (const token of generate(request.prompt ?? 'Hello', delay)) {
    await writer.write(`id: ${index++}\ndata: ${JSON.stringify({ token })}\n\n`);
  }
  await writer.writeAndFinish('data: [DONE]\n\n');
});
