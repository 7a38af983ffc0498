import { CryptoError } from './errors';
import { lib } from './sodium';

/** Standard base64 with padding (libsodium ORIGINAL variant). */
export function toBase64(bytes: Uint8Array): string {
  const s = lib();
  return s.to_base64(bytes, s.base64_variants.ORIGINAL);
}

/** Strict standard base64 with padding; anything else is BAD_FORMAT. */
export function fromBase64(b64: string): Uint8Array {
  if (typeof b64 !== 'string') throw new CryptoError('BAD_FORMAT', 'base64 input must be a string');
  const s = lib();
  try {
    return s.from_base64(b64, s.base64_variants.ORIGINAL);
  } catch {
    throw new CryptoError('BAD_FORMAT', 'invalid base64');
  }
}

export function utf8(s: string): Uint8Array {
  return lib().from_string(s);
}

/** Decodes UTF-8; malformed sequences are BAD_FORMAT rather than silently replaced. */
export function fromUtf8(b: Uint8Array): string {
  try {
    return lib().to_string(b);
  } catch {
    throw new CryptoError('BAD_FORMAT', 'invalid UTF-8');
  }
}

export function toHex(bytes: Uint8Array): string {
  return lib().to_hex(bytes);
}

/** Raw SHA-256 (libsodium sumo's crypto_hash_sha256). */
export function sha256(data: Uint8Array): Uint8Array {
  return lib().crypto_hash_sha256(data);
}

/** SHA-256 as lowercase hex; strings are hashed as their UTF-8 bytes. */
export function sha256Hex(data: Uint8Array | string): string {
  return toHex(sha256(typeof data === 'string' ? utf8(data) : data));
}

export function concatBytes(...parts: Uint8Array[]): Uint8Array {
  let len = 0;
  for (const p of parts) len += p.length;
  const out = new Uint8Array(len);
  let off = 0;
  for (const p of parts) {
    out.set(p, off);
    off += p.length;
  }
  return out;
}

const HEX64 = /^[0-9a-f]{64}$/;

export function isHash(h: unknown): h is string {
  return typeof h === 'string' && HEX64.test(h);
}

/**
 * Deterministic JSON, so that signatures and hash chains survive a JSON round trip:
 * keys sorted by UTF-16 code units (as Array.prototype.sort does), no whitespace,
 * undefined properties omitted, toJSON() honoured (Dates), undefined array slots as null —
 * all exactly like JSON.stringify, so canonicalJson(x) === canonicalJson(JSON.parse(JSON.stringify(x))).
 * Values JSON would silently mangle (NaN, Infinity, bigint, functions, symbols, Map, Set,
 * typed arrays, cycles) throw BAD_FORMAT instead.
 */
export function canonicalJson(value: unknown): string {
  const stack: object[] = [];

  const enc = (v: unknown, inArray: boolean): string | undefined => {
    if (v !== null && typeof v === 'object' && typeof (v as { toJSON?: unknown }).toJSON === 'function') {
      v = (v as { toJSON: () => unknown }).toJSON();
    }
    switch (typeof v) {
      case 'string':
        return JSON.stringify(v);
      case 'boolean':
        return v ? 'true' : 'false';
      case 'number':
        if (!Number.isFinite(v)) throw new CryptoError('BAD_FORMAT', `canonicalJson: non-finite number ${v}`);
        return JSON.stringify(v);
      case 'undefined':
        return inArray ? 'null' : undefined;
      case 'bigint':
      case 'function':
      case 'symbol':
        throw new CryptoError('BAD_FORMAT', `canonicalJson: unsupported value of type ${typeof v}`);
    }
    if (v === null) return 'null';
    const obj = v as object;
    if (obj instanceof Map || obj instanceof Set || ArrayBuffer.isView(obj) || obj instanceof ArrayBuffer) {
      throw new CryptoError('BAD_FORMAT', `canonicalJson: unsupported object ${Object.prototype.toString.call(obj)}`);
    }
    if (stack.includes(obj)) throw new CryptoError('BAD_FORMAT', 'canonicalJson: cyclic structure');
    stack.push(obj);
    let out: string;
    if (Array.isArray(obj)) {
      out = '[' + obj.map((item) => enc(item, true) as string).join(',') + ']';
    } else {
      const parts: string[] = [];
      const rec = obj as Record<string, unknown>;
      for (const key of Object.keys(rec).sort()) {
        const encoded = enc(rec[key], false);
        if (encoded !== undefined) parts.push(JSON.stringify(key) + ':' + encoded);
      }
      out = '{' + parts.join(',') + '}';
    }
    stack.pop();
    return out;
  };

  const result = enc(value, false);
  if (result === undefined) throw new CryptoError('BAD_FORMAT', 'canonicalJson: top-level value is undefined');
  return result;
}
