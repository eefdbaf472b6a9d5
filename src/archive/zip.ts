/**
 * A small, reproducible zip writer (and the reader its tests and `sluice dev` use).
 *
 * Why our own rather than a library: the zip must be byte-for-byte reproducible (same input, same bytes), and
 * that is a handful of fixed header fields: entries sorted by name, a fixed timestamp (1980-01-01 00:00, the
 * DOS epoch, the earliest a zip can hold, which reproducible-build tools such as `strip-nondeterminism` also
 * use), fixed permissions, no extra fields (the `UT`/`ux` fields `zip` adds carry times and uids), and raw
 * deflate from node:zlib at a fixed level. The popular libraries stamp the current time and add extra fields
 * by default; pinning all of that through their options is as much code as the format itself, and a Lambda
 * package needs none of their features (no zip64: Lambda's limit is 250 MB unzipped, streaming not needed).
 *
 * Format: PKWARE APPNOTE.TXT 6.3 §4.3 (local file header, central directory, end of central directory).
 * Deflated bytes depend on the zlib that Node bundles: the same Node version gives the same zip.
 */
import { deflateRawSync, inflateRawSync } from 'node:zlib';

/**
 * One file of an archive.
 *
 * @example
 * const entry: ZipEntry = { name: 'src/app.mjs', data: Buffer.from('export const handler = …') };
 */
export interface ZipEntry {
  /** Path inside the archive, with `/` separators and no leading `/`. */
  name: string;
  data: Uint8Array;
  /** Unix permission bits; default 0o644, or 0o755 with `executable`. */
  mode?: number;
  /** Shorthand for mode 0o755. */
  executable?: boolean;
}

/**
 * The fixed values that make archives reproducible.
 *
 * @example
 * ZIP_DEFAULTS.deflateLevel; // 9
 */
export const ZIP_DEFAULTS = {
  /** MS-DOS date of 1980-01-01 ((year − 1980) << 9 | month << 5 | day). */
  dosDate: (0 << 9) | (1 << 5) | 1,
  /** MS-DOS time 00:00:00. */
  dosTime: 0,
  fileMode: 0o644,
  executableMode: 0o755,
  deflateLevel: 9,
} as const;

const LOCAL_HEADER = 0x04034b50;
const CENTRAL_HEADER = 0x02014b50;
const END_OF_CENTRAL_DIRECTORY = 0x06054b50;
/** Version 2.0 (deflate): what APPNOTE asks for and what Python's zipfile writes. */
const VERSION_NEEDED = 20;
/** "Made by" Unix (3, upper byte), so that unzip and Lambda apply the permission bits in the external attributes. */
const VERSION_MADE_BY = (3 << 8) | VERSION_NEEDED;
/** General purpose flag bit 11: the name is UTF-8 (APPNOTE appendix D). */
const UTF8_FLAG = 0x0800;
const S_IFREG = 0o100000;
const METHOD_STORED = 0;
const METHOD_DEFLATED = 8;

let crcTable: Uint32Array | undefined;

/**
 * CRC-32 (IEEE 802.3, the zip checksum). `zlib.crc32` exists only from Node 20.15, and sluice supports 20.0.
 *
 * @example
 * crc32(Buffer.from('hello\n')).toString(16); // '363a3020'
 */
export function crc32(data: Uint8Array): number {
  if (!crcTable) {
    crcTable = new Uint32Array(256);
    for (let n = 0; n < 256; n++) {
      let c = n;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      crcTable[n] = c >>> 0;
    }
  }
  let crc = 0xffffffff;
  for (let i = 0; i < data.length; i++) crc = crcTable[(crc ^ data[i]!) & 0xff]! ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

function checkName(name: string): void {
  if (
    name === '' ||
    name.startsWith('/') ||
    name.includes('\\') ||
    name.split('/').some((part) => part === '..' || part === '.' || part === '')
  ) {
    throw new RangeError(`zip entry name ${JSON.stringify(name)} must be a relative path with / separators`);
  }
}

/**
 * Builds a zip archive in memory. Entries are sorted by name (byte order), so their order in `entries` does
 * not matter; every entry gets the same timestamp; data is deflated unless that would not make it smaller.
 * The result depends only on the names, contents and modes.
 *
 * @example
 * const zip = createZip([
 *   { name: 'index.mjs', data: Buffer.from('export const handler = async () => "ok";') },
 *   { name: 'bin/run', data: Buffer.from('#!/bin/sh\n'), executable: true },
 * ]);
 * writeFileSync('function.zip', zip);
 */
export function createZip(entries: readonly ZipEntry[]): Buffer {
  const sorted = [...entries].sort((a, b) => Buffer.compare(Buffer.from(a.name), Buffer.from(b.name)));
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (let index = 0; index < sorted.length; index++) {
    const entry = sorted[index]!;
    checkName(entry.name);
    if (index > 0 && sorted[index - 1]!.name === entry.name) {
      throw new RangeError(`zip entry ${entry.name} appears twice`);
    }
    const name = Buffer.from(entry.name, 'utf8');
    const data = entry.data;
    const deflated = deflateRawSync(data, { level: ZIP_DEFAULTS.deflateLevel });
    const method = deflated.length < data.length ? METHOD_DEFLATED : METHOD_STORED;
    const body =
      method === METHOD_DEFLATED ? deflated : Buffer.from(data.buffer, data.byteOffset, data.length);
    const crc = crc32(data);
    const flags = /[^\x20-\x7e]/.test(entry.name) ? UTF8_FLAG : 0;
    const mode =
      (entry.mode ?? (entry.executable ? ZIP_DEFAULTS.executableMode : ZIP_DEFAULTS.fileMode)) & 0o7777;
    if (offset > 0xffffffff || data.length > 0xffffffff) {
      throw new RangeError(
        'the archive is larger than 4 GiB, which needs zip64 (Lambda packages are far smaller)',
      );
    }

    const local = Buffer.alloc(30);
    local.writeUInt32LE(LOCAL_HEADER, 0);
    local.writeUInt16LE(VERSION_NEEDED, 4);
    local.writeUInt16LE(flags, 6);
    local.writeUInt16LE(method, 8);
    local.writeUInt16LE(ZIP_DEFAULTS.dosTime, 10);
    local.writeUInt16LE(ZIP_DEFAULTS.dosDate, 12);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(body.length, 18);
    local.writeUInt32LE(data.length, 22);
    local.writeUInt16LE(name.length, 26);
    local.writeUInt16LE(0, 28); // no extra field
    locals.push(local, name, body);

    const central = Buffer.alloc(46);
    central.writeUInt32LE(CENTRAL_HEADER, 0);
    central.writeUInt16LE(VERSION_MADE_BY, 4);
    central.writeUInt16LE(VERSION_NEEDED, 6);
    central.writeUInt16LE(flags, 8);
    central.writeUInt16LE(method, 10);
    central.writeUInt16LE(ZIP_DEFAULTS.dosTime, 12);
    central.writeUInt16LE(ZIP_DEFAULTS.dosDate, 14);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(body.length, 20);
    central.writeUInt32LE(data.length, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt16LE(0, 30); // extra field length
    central.writeUInt16LE(0, 32); // comment length
    central.writeUInt16LE(0, 34); // disk number
    central.writeUInt16LE(0, 36); // internal attributes
    central.writeUInt32LE(((S_IFREG | mode) << 16) >>> 0, 38);
    central.writeUInt32LE(offset, 42);
    centrals.push(central, name);

    offset += local.length + name.length + body.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(END_OF_CENTRAL_DIRECTORY, 0);
  end.writeUInt16LE(0, 4);
  end.writeUInt16LE(0, 6);
  end.writeUInt16LE(sorted.length, 8);
  end.writeUInt16LE(sorted.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  end.writeUInt16LE(0, 20);
  return Buffer.concat([...locals, directory, end]);
}

/**
 * A file read back from an archive.
 *
 * @example
 * for (const { name, data, mode } of readZip(zip)) console.log(name, data.length, mode.toString(8));
 */
export interface ReadZipEntry {
  name: string;
  data: Buffer;
  /** Unix permission bits from the external attributes (0o644 when the archive was not made on Unix). */
  mode: number;
}

/**
 * Reads a zip archive (stored and deflated entries, no zip64, no encryption): enough for Lambda packages,
 * `swift package archive`'s and `sluice archive`'s. Checks every CRC.
 *
 * @example
 * const entries = readZip(readFileSync('.sluice/archive/Fn/Fn.zip'));
 */
export function readZip(zip: Buffer): ReadZipEntry[] {
  let end = -1;
  for (let i = zip.length - 22; i >= Math.max(0, zip.length - 22 - 0xffff); i--) {
    if (zip.readUInt32LE(i) === END_OF_CENTRAL_DIRECTORY) {
      end = i;
      break;
    }
  }
  if (end < 0) throw new RangeError('not a zip archive (no end of central directory record)');
  const count = zip.readUInt16LE(end + 10);
  let position = zip.readUInt32LE(end + 16);
  const entries: ReadZipEntry[] = [];
  for (let index = 0; index < count; index++) {
    if (zip.readUInt32LE(position) !== CENTRAL_HEADER) throw new RangeError('corrupt zip central directory');
    const madeBy = zip.readUInt16LE(position + 4) >> 8;
    const flags = zip.readUInt16LE(position + 8);
    const method = zip.readUInt16LE(position + 10);
    const crc = zip.readUInt32LE(position + 16);
    const compressedSize = zip.readUInt32LE(position + 20);
    const nameLength = zip.readUInt16LE(position + 28);
    const extraLength = zip.readUInt16LE(position + 30);
    const commentLength = zip.readUInt16LE(position + 32);
    const external = zip.readUInt32LE(position + 38);
    const localOffset = zip.readUInt32LE(position + 42);
    const name = zip.toString(
      flags & UTF8_FLAG ? 'utf8' : 'latin1',
      position + 46,
      position + 46 + nameLength,
    );
    position += 46 + nameLength + extraLength + commentLength;
    if (flags & 0x1) throw new RangeError(`zip entry ${name} is encrypted`);
    const dataStart =
      localOffset + 30 + zip.readUInt16LE(localOffset + 26) + zip.readUInt16LE(localOffset + 28);
    const body = zip.subarray(dataStart, dataStart + compressedSize);
    let data: Buffer;
    if (method === METHOD_STORED) data = Buffer.from(body);
    else if (method === METHOD_DEFLATED) data = inflateRawSync(body);
    else throw new RangeError(`zip entry ${name} uses compression method ${method}`);
    if (crc32(data) !== crc) throw new RangeError(`zip entry ${name} fails its CRC check`);
    if (name.endsWith('/')) continue; // a directory entry
    const unixMode = madeBy === 3 ? (external >>> 16) & 0o7777 : 0;
    entries.push({ name, data, mode: unixMode || ZIP_DEFAULTS.fileMode });
  }
  return entries;
}
