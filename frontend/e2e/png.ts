// Test pictures made on the spot (no binary fixtures): a small PNG encoder over zlib.
import { deflateSync } from "node:zlib";

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(bytes: Buffer): number {
  let c = 0xffffffff;
  for (const byte of bytes) c = (CRC_TABLE[(c ^ byte) & 0xff] ?? 0) ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, "latin1"), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

/** An RGB PNG of a sunset-like scene; `hue` shifts the colours so pictures differ. */
export function scenePng(width: number, height: number, hue = 0): Buffer {
  const stride = width * 3 + 1;
  const raw = Buffer.alloc(stride * height);
  const sunX = width * 0.68;
  const sunY = height * 0.38;
  const sunR = Math.min(width, height) * 0.12;
  for (let y = 0; y < height; y++) {
    const row = y * stride;
    raw[row] = 0; // filter: none
    const t = y / height;
    const ridge = height * (0.62 + 0.05 * Math.sin((y / height) * 3));
    for (let x = 0; x < width; x++) {
      const hills = height * (0.6 + 0.08 * Math.sin(x / (width / 7) + hue) + 0.04 * Math.sin(x / (width / 23)));
      let r: number;
      let g: number;
      let b: number;
      if (y > hills) {
        const d = (y - hills) / (height - hills);
        r = 60 - 40 * d;
        g = 40 + 30 * (1 - d);
        b = 90 - 30 * d;
      } else {
        r = 255 - 40 * t;
        g = 170 - 90 * t + 30 * Math.cos(hue);
        b = 110 + 100 * t;
        const dx = x - sunX;
        const dy = y - sunY;
        if (dx * dx + dy * dy < sunR * sunR) {
          r = 255;
          g = 240;
          b = 200;
        }
      }
      if (y > ridge && y < ridge + 2) r = Math.min(255, r + 10);
      const i = row + 1 + x * 3;
      raw[i] = clamp(r);
      raw[i + 1] = clamp(g);
      raw[i + 2] = clamp(b);
    }
  }
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header[8] = 8; // bit depth
  header[9] = 2; // colour type: RGB
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk("IHDR", header),
    chunk("IDAT", deflateSync(raw, { level: 6 })),
    chunk("IEND", Buffer.alloc(0)),
  ]);
}

function clamp(v: number): number {
  return Math.max(0, Math.min(255, Math.round(v)));
}
