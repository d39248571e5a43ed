// The server's default upload limits (API.md, "Limits"), checked before anything is sent so a
// person hears about a wrong file at once. The server still decides: it sniffs the bytes.
export const MAX_FILE_BYTES = 25 * 1024 * 1024;
export const MAX_FILES_PER_REQUEST = 100;
/** How much one request carries at most, so progress moves and a failure costs little. */
export const MAX_BATCH_BYTES = 64 * 1024 * 1024;

export const ACCEPTED_TYPES = [
  "image/jpeg",
  "image/png",
  "image/gif",
  "image/webp",
  "image/heic",
  "image/heif",
  "image/avif",
] as const;
const ACCEPTED_EXTENSIONS = [".jpg", ".jpeg", ".jpe", ".jfif", ".png", ".gif", ".webp", ".heic", ".heif", ".avif"];
/** What some systems call an iPhone photo; the server decides by the bytes anyway. */
const TYPE_ALIASES = ["image/heic-sequence", "image/heif-sequence"];

/** For `<input accept>`. */
export const ACCEPT_ATTRIBUTE = [...ACCEPTED_TYPES, ...ACCEPTED_EXTENSIONS].join(",");

/** Why a file cannot be uploaded, or null when it may be. */
export function validateFile(file: Pick<File, "name" | "size" | "type">): string | null {
  if (!looksLikeAcceptedImage(file)) {
    return "Not a supported image. Use JPEG, PNG, GIF, WebP, HEIC or AVIF.";
  }
  if (file.size === 0) return "This file is empty.";
  if (file.size > MAX_FILE_BYTES) {
    return `Too large: files can be at most ${MAX_FILE_BYTES / (1024 * 1024)} MB.`;
  }
  return null;
}

function looksLikeAcceptedImage(file: Pick<File, "name" | "type">): boolean {
  const type = file.type.toLowerCase();
  if ((ACCEPTED_TYPES as readonly string[]).includes(type) || TYPE_ALIASES.includes(type)) return true;
  if (type && type !== "application/octet-stream") return false;
  // No declared type (some systems): go by the name; the server sniffs the bytes anyway.
  const name = file.name.toLowerCase();
  return ACCEPTED_EXTENSIONS.some((ext) => name.endsWith(ext));
}
