import { canonicalJson, fromBase64, fromUtf8, sha256, sha256Hex, toBase64, toHex, utf8 } from './encoding';
import { CryptoError } from './errors';
import { initCrypto } from './sodium';

const code = (c: string) => expect.objectContaining({ code: c });

describe('before initCrypto()', () => {
  it('fails with a clear message instead of an opaque TypeError', () => {
    expect(() => toBase64(new Uint8Array(1))).toThrow(/initCrypto/);
  });
});

describe('encoding', () => {
  beforeAll(async () => {
    await initCrypto();
    await initCrypto(); // idempotent
  });

  it('base64 is the standard alphabet with padding and round-trips', () => {
    expect(toBase64(new Uint8Array([0xfb, 0xff]))).toBe('+/8=');
    expect(toBase64(new Uint8Array())).toBe('');
    const bytes = new Uint8Array(256).map((_, i) => i);
    expect(fromBase64(toBase64(bytes))).toEqual(bytes);
  });

  it('rejects invalid base64 as BAD_FORMAT', () => {
    for (const bad of ['abc!', 'YQ', '-_8=', 'YQ==YQ==x']) {
      expect(() => fromBase64(bad)).toThrow(code('BAD_FORMAT'));
    }
    expect(() => fromBase64(42 as unknown as string)).toThrow(CryptoError);
  });

  it('utf8 round-trips and rejects malformed UTF-8', () => {
    expect(fromUtf8(utf8('考务 ✓'))).toBe('考务 ✓');
    expect(() => fromUtf8(new Uint8Array([0xff, 0xfe]))).toThrow(code('BAD_FORMAT'));
  });

  describe('sha256Hex', () => {
    it('matches FIPS 180-4 vectors', () => {
      expect(sha256Hex('')).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
      expect(sha256Hex('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
      expect(sha256Hex('abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq')).toBe(
        '248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1',
      );
      expect(sha256Hex(new Uint8Array(1_000_000).fill(0x61))).toBe(
        'cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0',
      );
    });

    it('handles every padding boundary ', () => {
      const expected: Record<number, string> = {
        55: '9f4390f8d30c2dd92ec9f095b65e2b9ae9b0a925a5258e241c9f1e910f734318',
        56: 'b35439a4ac6f0948b6d6f9e3c6af0f5f590ce20f1bde7090ef7970686ec6738a',
        63: '7d3e74a05d7db15bce4ad9ec0658ea98e3f06eeecf16b4c6fff2da457ddc2f34',
        64: 'ffe054fe7ae0cb6dc65c3af9b61d5209f439851db43d0ba5997337df154668eb',
        65: '635361c48bb9eab14198e76ea8ab7f1a41685d6ad62aa9146d301d4f17eb0ae0',
        119: '31eba51c313a5c08226adf18d4a359cfdfd8d2e816b13f4af952f7ea6584dcfb',
        120: '2f3d335432c70b580af0e8e1b3674a7c020d683aa5f73aaaedfdc55af904c21c',
        128: '6836cf13bac400e9105071cd6af47084dfacad4e5e302c94bfed24e013afb73e',
      };
      for (const [n, hex] of Object.entries(expected)) {
        const digest = sha256(new Uint8Array(Number(n)).fill(0x61));
        expect(toHex(digest)).toBe(hex);
      }
    });

    it('hashes strings as UTF-8 and returns lowercase hex', () => {
      expect(sha256Hex('考务 ✓')).toBe('ae676b065e33656494acff603420db3503fcada991349069274481db79bcb6b5');
      expect(sha256Hex(utf8('考务 ✓'))).toBe(sha256Hex('考务 ✓'));
    });
  });

  describe('canonicalJson', () => {
    it('is independent of key order, at every depth', () => {
      const a = { b: 1, a: { y: [3, { q: 1, p: 2 }], x: 'x' }, c: null };
      const b = { c: null, a: { x: 'x', y: [3, { p: 2, q: 1 }] }, b: 1 };
      expect(canonicalJson(a)).toBe(canonicalJson(b));
      expect(canonicalJson(a)).toBe('{"a":{"x":"x","y":[3,{"p":2,"q":1}]},"b":1,"c":null}');
    });

    it('keeps array order and omits undefined properties, like JSON', () => {
      expect(canonicalJson([2, 1])).not.toBe(canonicalJson([1, 2]));
      expect(canonicalJson({ a: undefined, b: [undefined] })).toBe('{"b":[null]}');
      const v = { when: new Date(Date.UTC(2026, 5, 7, 8, 0, 0)), s: 'é"\n', n: -0, f: 1.5e-7 };
      expect(canonicalJson(v)).toBe(canonicalJson(JSON.parse(JSON.stringify(v))));
    });

    it('throws on values JSON would mangle', () => {
      for (const bad of [NaN, Infinity, { x: -Infinity }, 1n, { f: () => 1 }, new Map(), new Uint8Array(2), undefined]) {
        expect(() => canonicalJson(bad)).toThrow(code('BAD_FORMAT'));
      }
      const cyclic: Record<string, unknown> = {};
      cyclic['self'] = cyclic;
      expect(() => canonicalJson(cyclic)).toThrow(code('BAD_FORMAT'));
    });

    it('allows the same object twice when it is not a cycle', () => {
      const shared = { k: 1 };
      expect(canonicalJson({ a: shared, b: shared })).toBe('{"a":{"k":1},"b":{"k":1}}');
    });
  });
});
