import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { SLUICE_VERSION, USER_AGENT } from './version.js';

const packageJson = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
  name: string;
  version: string;
};

describe('version', () => {
  it("SLUICE_VERSION equals package.json's version", () => {
    expect(packageJson.name).toBe('sluice');
    expect(SLUICE_VERSION).toBe(packageJson.version);
  });

  it('the User-Agent carries that version', () => {
    expect(USER_AGENT).toBe(`sluice/${packageJson.version}`);
  });
});
