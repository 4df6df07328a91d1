// An independent minimal TFRecord + protobuf reader for the tests (no code shared with src/summary).
import { readFileSync } from 'node:fs';

const TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ 0x82f63b78 : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

export function crc32cRef(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (const b of bytes) c = TABLE[(c ^ b) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function masked(bytes: Uint8Array): number {
  const c = crc32cRef(bytes);
  return (((c >>> 15) | (c << 17)) + 0xa282ead8) >>> 0;
}

/** The records of a TFRecord file; throws on a bad CRC. */
export function readRecords(path: string): Uint8Array[] {
  const buf = new Uint8Array(readFileSync(path));
  const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  const out: Uint8Array[] = [];
  let at = 0;
  while (at < buf.length) {
    const len = Number(view.getBigUint64(at, true));
    if (view.getUint32(at + 8, true) !== masked(buf.subarray(at, at + 8))) throw new Error(`bad length CRC at ${at}`);
    const data = buf.subarray(at + 12, at + 12 + len);
    if (view.getUint32(at + 12 + len, true) !== masked(data)) throw new Error(`bad data CRC at ${at}`);
    out.push(data);
    at += 16 + len;
  }
  return out;
}

export type Field = { wire: number; int?: bigint; bytes?: Uint8Array; fixed64?: DataView; fixed32?: DataView };

/** Decodes one message into field number -> occurrences. */
export function decode(msg: Uint8Array): Map<number, Field[]> {
  const fields = new Map<number, Field[]>();
  let at = 0;
  const varint = (): bigint => {
    let v = 0n;
    let shift = 0n;
    for (;;) {
      const b = msg[at++]!;
      v |= BigInt(b & 0x7f) << shift;
      if (!(b & 0x80)) return v;
      shift += 7n;
    }
  };
  while (at < msg.length) {
    const key = Number(varint());
    const field = key >> 3;
    const wire = key & 7;
    let f: Field;
    if (wire === 0) f = { wire, int: varint() };
    else if (wire === 1) f = { wire, fixed64: new DataView(msg.buffer, msg.byteOffset + at, 8) }, (at += 8);
    else if (wire === 5) f = { wire, fixed32: new DataView(msg.buffer, msg.byteOffset + at, 4) }, (at += 4);
    else if (wire === 2) {
      const len = Number(varint());
      f = { wire, bytes: msg.subarray(at, at + len) };
      at += len;
    } else throw new Error(`wire type ${wire}`);
    if (!fields.has(field)) fields.set(field, []);
    fields.get(field)!.push(f);
  }
  return fields;
}

export const dbl = (m: Map<number, Field[]>, n: number) => m.get(n)![0]!.fixed64!.getFloat64(0, true);
export const flt = (m: Map<number, Field[]>, n: number) => m.get(n)![0]!.fixed32!.getFloat32(0, true);
export const int = (m: Map<number, Field[]>, n: number) => Number(m.get(n)![0]!.int!);
export const str = (m: Map<number, Field[]>, n: number) => new TextDecoder().decode(m.get(n)![0]!.bytes!);
export const sub = (m: Map<number, Field[]>, n: number) => decode(m.get(n)![0]!.bytes!);
export const packedDoubles = (m: Map<number, Field[]>, n: number) => {
  const b = m.get(n)![0]!.bytes!;
  const v = new DataView(b.buffer, b.byteOffset, b.byteLength);
  return Array.from({ length: b.length / 8 }, (_, i) => v.getFloat64(8 * i, true));
};

/** Event files: Event { wall_time 1, step 2, file_version 3, summary 5 { value 1 { tag 1, simple_value 2, image 4, histo 5, tensor 8, metadata 9 } } }. */
export function readEvents(path: string) {
  return readRecords(path).map((r) => {
    const e = decode(r);
    const values = e.has(5) ? (sub(e, 5).get(1) ?? []).map((v) => decode(v.bytes!)) : [];
    return { wallTime: dbl(e, 1), step: e.has(2) ? int(e, 2) : 0, fileVersion: e.has(3) ? str(e, 3) : undefined, values };
  });
}
