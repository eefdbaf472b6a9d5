import { describe, expect, it } from 'vitest';
import { EmulatorConfigError } from './errors.js';
import { resolveFunctionConfig } from './function-config.js';

describe('resolveFunctionConfig', () => {
  it("fills in Lambda's defaults", () => {
    expect(resolveFunctionConfig({ name: 'f', code: 'fn' }, '/repo')).toEqual({
      name: 'f',
      code: '/repo/fn',
      codeKind: 'directory',
      handler: 'index.handler',
      runtime: undefined,
      runtimeName: 'nodejs20.x',
      description: '',
      architecture: 'x86_64',
      timeout: 3,
      memorySize: 128,
      environment: {},
      invokeMode: 'BUFFERED',
      reservedConcurrency: 10,
    });
  });

  it('treats .ts/.js entries as source to bundle, with the export as handler', () => {
    const config = resolveFunctionConfig({ name: 'f', code: 'src/app.ts', handler: 'main' }, '/repo');
    expect(config.codeKind).toBe('source');
    expect(config.handler).toBe('main');
    expect(resolveFunctionConfig({ name: 'f', code: 'src/app.ts', handler: 'app.main' }).handler).toBe(
      'main',
    );
  });

  it('accepts a runtime command as a string or an argv array', () => {
    expect(resolveFunctionConfig({ name: 'f', code: 'fn', runtime: './bootstrap' }).runtime).toEqual([
      './bootstrap',
    ]);
    expect(
      resolveFunctionConfig({ name: 'f', code: 'fn', runtime: ['node', 'ric.mjs', 'index.handler'] }).runtime,
    ).toEqual(['node', 'ric.mjs', 'index.handler']);
  });

  it("names the runtime nodejs20.x for sluice's runtime and provided.al2023 for a runtime command", () => {
    expect(resolveFunctionConfig({ name: 'f', code: 'fn', runtime: './bootstrap' }).runtimeName).toBe(
      'provided.al2023',
    );
    expect(
      resolveFunctionConfig({ name: 'f', code: 'fn', runtime: './bootstrap', runtimeName: 'provided.al2' })
        .runtimeName,
    ).toBe('provided.al2');
    expect(resolveFunctionConfig({ name: 'f', code: 'fn', runtimeName: 'nodejs22.x' }).runtimeName).toBe(
      'nodejs22.x',
    );
  });

  it.each([
    [{ name: 'bad name', code: 'fn' }, /name "bad name" is invalid/],
    [{ name: 'f', code: 'fn', runtimeName: 'nodejs 20' }, /runtimeName must be/],
    [{ name: 'f', code: 'fn', description: 'x'.repeat(257) }, /description must be/],
    [{ name: 'f', code: 'fn', architecture: 'mips' }, /architecture must be x86_64 or arm64/],
    [{ name: 'f', code: 'fn', timeout: 901 }, /timeout must be a number from/],
    [{ name: 'f', code: 'fn', memorySize: 64 }, /memorySize/],
    [{ name: 'f', code: 'fn', reservedConcurrency: 1.5 }, /reservedConcurrency must be an integer/],
    [{ name: 'f', code: 'fn', environment: { AWS_REGION: 'x' } }, /AWS_REGION is reserved/],
    [{ name: 'f', code: 'fn', runtime: [] }, /runtime must be/],
    [{ name: 'f', code: 'fn.ts', handler: 'not-an-export' }, /must name an export/],
  ])('rejects %j', (definition, message) => {
    expect(() => resolveFunctionConfig(definition as never)).toThrow(EmulatorConfigError);
    expect(() => resolveFunctionConfig(definition as never)).toThrow(message);
  });
});
