import { plural } from "../../lib/format";

const DAY_MS = 24 * 60 * 60 * 1000;

/** "deleted for good in 29 days" / "deleted for good today" */
export function purgeText(purgeAt: string, now = Date.now()): string {
  const days = Math.ceil((new Date(purgeAt).getTime() - now) / DAY_MS);
  if (!Number.isFinite(days)) return "";
  if (days <= 0) return "deleted for good today";
  return `deleted for good in ${plural(days, "day")}`;
}
