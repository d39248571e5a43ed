// How the viewer words a photo's EXIF facts. Each function answers null when there is nothing to
// say, so an absent fact is simply not shown.
import type { Image } from "../api/types";

const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?([Zz]|[+-]\d{2}:\d{2})$/;

export interface TakenAt {
  /** The wall-clock time the camera wrote, e.g. "1 June 2024 at 18:30". */
  text: string;
  /** The offset as "UTC+2", "UTC−5:30", "UTC"; null for `-00:00` (unknown). */
  zone: string | null;
  /** For `<time dateTime>`: the instant, or a local date-time when the offset is unknown. */
  dateTime: string;
}

/**
 * `taken_at` as it reads on the camera's clock. The time is never converted to the viewer's
 * zone: a photo taken at 18:30 in Tokyo says 18:30. A known offset is named beside it; the
 * RFC 3339 unknown-offset form `-00:00` gets no zone at all.
 */
export function formatTakenAt(iso: string | null | undefined, locale?: string): TakenAt | null {
  if (!iso) return null;
  const m = RFC3339.exec(iso);
  if (!m) return null;
  const [, y, mo, d, h, mi, s = "00", offset = "Z"] = m;
  const wall = new Date(Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s)));
  if (Number.isNaN(wall.getTime())) return null;
  const text = new Intl.DateTimeFormat(locale, { dateStyle: "long", timeStyle: "short", timeZone: "UTC" }).format(wall);
  const unknown = offset === "-00:00";
  const local = `${y}-${mo}-${d}T${h}:${mi}:${s}`;
  return { text, zone: unknown ? null : zoneName(offset), dateTime: unknown ? local : iso };
}

function zoneName(offset: string): string {
  if (offset === "Z" || offset === "z" || offset === "+00:00") return "UTC";
  const sign = offset.startsWith("-") ? "−" : "+";
  const hours = Number(offset.slice(1, 3));
  const minutes = offset.slice(4, 6);
  return `UTC${sign}${hours}${minutes === "00" ? "" : `:${minutes}`}`;
}

/** "Apple iPhone 15 Pro"; "Canon EOS R5" (not "Canon Canon EOS R5"). */
export function formatCamera(camera: Image["camera"] | undefined): string | null {
  if (!camera) return null;
  const make = camera.make?.trim() ?? "";
  const model = camera.model?.trim() ?? "";
  if (!make) return model || null;
  if (!model) return make;
  const brand = make.split(/\s+/)[0]?.toLowerCase() ?? "";
  return model.toLowerCase().startsWith(brand) ? model : `${make} ${model}`;
}

/** Up to `digits` decimals, no trailing zeros: 1.80 → "1.8", 2.0 → "2". */
function trim(value: number, digits: number): string {
  return String(Number(value.toFixed(digits)));
}

/** "f/1.8 · 1/250 s · ISO 100 · 26 mm", with only the parts the file has. */
export function formatExposure(exposure: Image["exposure"] | undefined): string | null {
  if (!exposure) return null;
  const parts: string[] = [];
  const { f_number: f, exposure_time: time, iso, focal_length_mm: focal } = exposure;
  if (f != null && f > 0) parts.push(`f/${trim(f, 1)}`);
  if (time != null && time.trim() !== "") parts.push(`${time.trim()} s`);
  if (iso != null && iso > 0) parts.push(`ISO ${iso}`);
  if (focal != null && focal > 0) parts.push(`${trim(focal, focal >= 10 ? 0 : 1)} mm`);
  return parts.length > 0 ? parts.join(" · ") : null;
}

/** "48.85837° N, 2.29448° E". */
export function formatCoordinates(location: Image["location"] | undefined): string | null {
  if (!location) return null;
  const { latitude, longitude } = location;
  if (!Number.isFinite(latitude) || !Number.isFinite(longitude)) return null;
  const lat = `${Math.abs(latitude).toFixed(5)}° ${latitude < 0 ? "S" : "N"}`;
  const lon = `${Math.abs(longitude).toFixed(5)}° ${longitude < 0 ? "W" : "E"}`;
  return `${lat}, ${lon}`;
}

/** The place on OpenStreetMap, with a marker. */
export function mapUrl(location: NonNullable<Image["location"]>): string {
  const lat = location.latitude.toFixed(5);
  const lon = location.longitude.toFixed(5);
  return `https://www.openstreetmap.org/?mlat=${lat}&mlon=${lon}#map=15/${lat}/${lon}`;
}
