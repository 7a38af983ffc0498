import type { CandidatePhoto } from '@kaowu/contracts';
import { crc32, deflateSync } from 'node:zlib';
import { seededRandom } from './seeded-random';

const WIDTH = 90;
const HEIGHT = 120;
const BACKDROPS: [number, number, number][] = [
  [67, 142, 219], // 证件照蓝底
  [245, 245, 245], // 白底
  [200, 40, 40], // 红底
];
const HAIR: [number, number, number][] = [
  [25, 20, 18],
  [45, 32, 24],
  [70, 50, 35],
];
const CLOTHES: [number, number, number][] = [
  [30, 40, 60],
  [20, 20, 20],
  [90, 90, 100],
  [240, 240, 240],
];
const SKIN: [number, number, number][] = [
  [236, 200, 170],
  [224, 184, 150],
  [210, 170, 135],
];

/**
 * A synthetic registration photo (90×120 PNG, a head-and-shoulders silhouette on an ID-photo
 * backdrop), the same for the same seed. Demo and test rosters carry one per candidate so the
 * login screens and the proctor's identity check show a picture, as a real roster does.
 */
export function candidatePhoto(seed: number): CandidatePhoto {
  // 64 faces are plenty for a demo room, and a 5,000-candidate roster is built in no time
  const key = seed % 64;
  let photo = drawn.get(key);
  if (!photo) drawn.set(key, (photo = draw(key)));
  return photo;
}

const drawn = new Map<number, CandidatePhoto>();

function draw(seed: number): CandidatePhoto {
  const rnd = seededRandom(seed * 7919 + 17);
  const pick = <T>(list: T[]) => list[Math.floor(rnd() * list.length)];
  const backdrop = pick(BACKDROPS);
  const hair = pick(HAIR);
  const clothes = pick(CLOTHES);
  const skin = pick(SKIN);
  const headRx = 19 + Math.floor(rnd() * 4);
  const headRy = 24 + Math.floor(rnd() * 4);
  const hairDrop = 8 + Math.floor(rnd() * 10);
  const cx = WIDTH / 2;
  const cy = 50;

  // RGB scanlines, each led by filter type 0
  const raw = Buffer.alloc(HEIGHT * (1 + WIDTH * 3));
  for (let y = 0; y < HEIGHT; y++) {
    for (let x = 0; x < WIDTH; x++) {
      let colour = backdrop;
      const dx = (x - cx) / headRx;
      const dy = (y - cy) / headRy;
      const inHead = dx * dx + dy * dy <= 1;
      const inHair = (x - cx) ** 2 / (headRx + 3) ** 2 + (y - cy + 4) ** 2 / (headRy + 3) ** 2 <= 1 && y < cy - headRy + hairDrop + 10;
      // shoulders: a wide half-ellipse rising from the bottom edge, with a neck above it
      const sx = (x - cx) / 44;
      const sy = (y - HEIGHT - 8) / 42;
      const inShoulders = sx * sx + sy * sy <= 1;
      const inNeck = Math.abs(x - cx) <= 8 && y > cy + headRy - 6 && y < HEIGHT - 28;
      if (inShoulders) colour = clothes;
      else if (inNeck) colour = skin;
      if (inHair) colour = hair;
      else if (inHead) colour = skin;
      const i = y * (1 + WIDTH * 3) + 1 + x * 3;
      raw[i] = colour[0];
      raw[i + 1] = colour[1];
      raw[i + 2] = colour[2];
    }
  }
  return { mediaType: 'image/png', data: encodePng(raw).toString('base64') };
}

/** A truecolour 8-bit PNG from filtered scanlines: signature, IHDR, one IDAT, IEND. */
function encodePng(scanlines: Buffer): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const out = Buffer.alloc(8 + data.length + 4);
    out.writeUInt32BE(data.length, 0);
    body.copy(out, 4);
    out.writeUInt32BE(crc32(body) >>> 0, 8 + data.length);
    return out;
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(WIDTH, 0);
  header.writeUInt32BE(HEIGHT, 4);
  header.set([8, 2, 0, 0, 0], 8); // 8 bits per channel, truecolour, deflate, adaptive filtering, no interlace
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', header), chunk('IDAT', deflateSync(scanlines, { level: 9 })), chunk('IEND', Buffer.alloc(0))]);
}
