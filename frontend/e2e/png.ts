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

/**
 * An animated GIF: `frames` frames of `width`×`height`, each a different solid colour band
 * moving down, looping forever. LZW is written the simple way (a clear code every two pixels, so
 * codes stay 3 bits wide): large for its size, but any decoder reads it.
 */
export function animatedGif(width: number, height: number, frames = 3): Buffer {
  const palette = [0x20, 0x24, 0x3a, 0xff, 0x4f, 0x7b, 0x6b, 0x5b, 0xff, 0xff, 0xd7, 0xa8];
  const parts: Buffer[] = [Buffer.from("GIF89a", "latin1")];
  const screen = Buffer.alloc(7);
  screen.writeUInt16LE(width, 0);
  screen.writeUInt16LE(height, 2);
  screen[4] = 0x91; // global colour table, 4 colours
  parts.push(screen, Buffer.from(palette));
  parts.push(Buffer.from([0x21, 0xff, 0x0b]), Buffer.from("NETSCAPE2.0", "latin1"), Buffer.from([3, 1, 0, 0, 0]));
  for (let f = 0; f < frames; f++) {
    parts.push(Buffer.from([0x21, 0xf9, 4, 0x04, 20, 0, 0, 0])); // 0.2 s per frame
    const descriptor = Buffer.alloc(10);
    descriptor[0] = 0x2c;
    descriptor.writeUInt16LE(width, 5);
    descriptor.writeUInt16LE(height, 7);
    parts.push(descriptor, Buffer.from([2]));
    const pixels: number[] = [];
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        const band = Math.floor(((y + (f * height) / frames) % height) / (height / 4));
        pixels.push((band + (x > width / 2 ? 1 : 0)) % 4);
      }
    }
    const data = lzwClearEveryTwo(pixels);
    for (let i = 0; i < data.length; i += 255) {
      const block = data.subarray(i, i + 255);
      parts.push(Buffer.from([block.length]), block);
    }
    parts.push(Buffer.from([0]));
  }
  parts.push(Buffer.from([0x3b]));
  return Buffer.concat(parts);
}

function lzwClearEveryTwo(pixels: readonly number[]): Buffer {
  const CLEAR = 4;
  const END = 5;
  const codes: number[] = [];
  for (let i = 0; i < pixels.length; i += 2) {
    codes.push(CLEAR, pixels[i] ?? 0);
    if (i + 1 < pixels.length) codes.push(pixels[i + 1] ?? 0);
  }
  codes.push(END);
  const out: number[] = [];
  let acc = 0;
  let bits = 0;
  for (const code of codes) {
    acc |= code << bits;
    bits += 3;
    while (bits >= 8) {
      out.push(acc & 0xff);
      acc >>= 8;
      bits -= 8;
    }
  }
  if (bits > 0) out.push(acc & 0xff);
  return Buffer.from(out);
}
