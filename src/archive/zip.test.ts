import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { extractZip } from './extract.js';
import { crc32, createZip, readZip } from './zip.js';

const work = mkdtempSync(path.join(tmpdir(), 'sluice-zip-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('createZip', () => {
  it('writes the same bytes as Python’s zipfile for stored entries (golden)', () => {
    // Generated with Python 3's zipfile: ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0)), create_system=3,
    // external_attr=(0o100000 | mode) << 16, compress_type=ZIP_STORED, for bin/run (0755) and hello.txt (0644).
    const golden =
      '504b0304140000000000000021002f3adae912000000120000000700000062696e2f72756e23212f62696e2f73680a6563686f2068690a' +
      '504b03041400000000000000210020303a3606000000060000000900000068656c6c6f2e74787468656c6c6f0a' +
      '504b01021403140000000000000021002f3adae91200000012000000070000000000000000000000ed810000000062696e2f72756e' +
      '504b010214031400000000000000210020303a360600000006000000090000000000000000000000a4813700000068656c6c6f2e747874' +
      '504b050600000000020002006c000000640000000000';
    const zip = createZip([
      { name: 'hello.txt', data: Buffer.from('hello\n') },
      { name: 'bin/run', data: Buffer.from('#!/bin/sh\necho hi\n'), executable: true },
    ]);
    expect(zip.toString('hex')).toBe(golden);
  });

  it('computes the zip CRC-32', () => {
    expect(crc32(Buffer.from('hello\n'))).toBe(0x363a3020);
    expect(crc32(Buffer.alloc(0))).toBe(0);
    expect(crc32(Buffer.from('The quick brown fox jumps over the lazy dog'))).toBe(0x414fa339);
  });

  it('depends only on names, contents and modes (order of entries does not matter)', () => {
    const a = { name: 'a.mjs', data: Buffer.from('export const a = 1;\n'.repeat(50)) };
    const b = { name: 'dir/b.mjs', data: Buffer.from('export const b = 2;\n') };
    expect(createZip([a, b]).equals(createZip([b, a]))).toBe(true);
    expect(createZip([a, b]).equals(createZip([a, { ...b, executable: true }]))).toBe(false);
  });

  it('is read back by unzip and by Python, with permissions and deflated data intact', () => {
    const text = 'export const handler = async () => "ok";\n'.repeat(200);
    const file = path.join(work, 'test.zip');
    writeFileSync(
      file,
      createZip([
        { name: 'src/app.mjs', data: Buffer.from(text) },
        { name: 'sluice-exec-wrapper', data: Buffer.from('#!/bin/sh\nexec "$@"\n'), executable: true },
        { name: 'données.txt', data: Buffer.from('utf-8 name\n') },
        { name: 'empty', data: Buffer.alloc(0) },
      ]),
    );
    expect(execFileSync('unzip', ['-t', file]).toString()).toMatch(/No errors detected/);
    const python = execFileSync('python3', [
      '-c',
      `import zipfile, sys, json
z = zipfile.ZipFile(sys.argv[1])
assert z.testzip() is None
print(json.dumps({i.filename: [oct(i.external_attr >> 16), i.compress_type, i.file_size, list(i.date_time)] for i in z.infolist()}))`,
      file,
    ]);
    expect(JSON.parse(python.toString())).toEqual({
      'données.txt': ['0o100644', 0, 11, [1980, 1, 1, 0, 0, 0]],
      empty: ['0o100644', 0, 0, [1980, 1, 1, 0, 0, 0]],
      'sluice-exec-wrapper': ['0o100755', 0, 20, [1980, 1, 1, 0, 0, 0]],
      'src/app.mjs': ['0o100644', 8, text.length, [1980, 1, 1, 0, 0, 0]],
    });
    const unpacked = path.join(work, 'unzipped');
    execFileSync('unzip', ['-q', file, '-d', unpacked]);
    expect(statSync(path.join(unpacked, 'sluice-exec-wrapper')).mode & 0o777).toBe(0o755);
  });

  it('rejects names that are not plain relative paths, and duplicates', () => {
    for (const name of ['/abs', '../up', 'a/../b', 'a\\b', '', 'a//b']) {
      expect(() => createZip([{ name, data: Buffer.alloc(1) }]), name).toThrow(RangeError);
    }
    expect(() =>
      createZip([
        { name: 'x', data: Buffer.alloc(1) },
        { name: 'x', data: Buffer.alloc(2) },
      ]),
    ).toThrow(/twice/);
  });
});

describe('readZip and extractZip', () => {
  it('round-trips any entries', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(
          fc.record({
            name: fc
              .stringMatching(/^[a-z0-9_-]{1,8}(\/[a-z0-9_.-]{1,8}){0,2}$/)
              .filter((n) => !n.split('/').includes('.') && !n.split('/').includes('..')),
            data: fc.uint8Array({ maxLength: 2000 }),
            executable: fc.boolean(),
          }),
          { selector: (entry) => entry.name, maxLength: 6 },
        ),
        (entries) => {
          const read = readZip(createZip(entries));
          const expected = [...entries].sort((a, b) =>
            Buffer.compare(Buffer.from(a.name), Buffer.from(b.name)),
          );
          expect(
            read.map((entry) => [entry.name, Buffer.from(entry.data).toString('hex'), entry.mode]),
          ).toEqual(
            expected.map((entry) => [
              entry.name,
              Buffer.from(entry.data).toString('hex'),
              entry.executable ? 0o755 : 0o644,
            ]),
          );
        },
      ),
      { numRuns: 50 },
    );
  });

  it('reads zips made by the zip tool (extra fields, directory entries)', () => {
    const source = path.join(work, 'zip-tool');
    mkdirSync(path.join(source, 'bin'), { recursive: true });
    writeFileSync(path.join(source, 'bin/bootstrap'), '#!/bin/sh\necho swift\n', { mode: 0o755 });
    writeFileSync(path.join(source, 'readme.txt'), 'plain\n'.repeat(100));
    const file = path.join(work, 'tool.zip');
    execFileSync('zip', ['-q', '-r', file, '.'], { cwd: source });
    const entries = readZip(readFileSync(file));
    expect(entries.map((entry) => [entry.name, entry.mode]).sort()).toEqual([
      ['bin/bootstrap', 0o755],
      ['readme.txt', 0o644],
    ]);
  });

  it('extracts with permissions and refuses to write outside the directory', async () => {
    const target = path.join(work, 'extracted');
    const names = await extractZip(
      createZip([
        { name: 'sluice-exec-wrapper', data: Buffer.from('#!/bin/sh\n'), executable: true },
        { name: 'src/app.mjs', data: Buffer.from('x') },
      ]),
      target,
    );
    expect(names).toEqual(['sluice-exec-wrapper', 'src/app.mjs']);
    expect(statSync(path.join(target, 'sluice-exec-wrapper')).mode & 0o777).toBe(0o755);
    expect(statSync(path.join(target, 'src/app.mjs')).mode & 0o777).toBe(0o644);
  });

  it('rejects what is not a zip', () => {
    expect(() => readZip(Buffer.from('definitely not a zip file, just text'))).toThrow(/not a zip archive/);
  });
});
