import { useCallback } from "react";
import { useSearchParams } from "react-router";

export type ImageSort = "created_at" | "taken_at";

/** How a photo listing is sorted and searched; kept in the URL (`?sort=taken_at&q=beach`). */
export interface ImageFilters {
  sort: ImageSort;
  /** Case-insensitive part of the file name; "" for none. */
  q: string;
}

export function filtersFromParams(params: URLSearchParams): ImageFilters {
  return {
    sort: params.get("sort") === "taken_at" ? "taken_at" : "created_at",
    q: (params.get("q") ?? "").trim(),
  };
}

/** Writes the filters into `params` (in place), leaving out the defaults so URLs stay short. */
export function writeFilters(params: URLSearchParams, filters: Partial<ImageFilters>): URLSearchParams {
  if (filters.sort !== undefined) {
    if (filters.sort === "created_at") params.delete("sort");
    else params.set("sort", filters.sort);
  }
  if (filters.q !== undefined) {
    const q = filters.q.trim();
    if (q) params.set("q", q);
    else params.delete("q");
  }
  return params;
}

/** The `query` of a listing call: the page, plus sort and q when they differ from the defaults. */
export function listQuery(filters: ImageFilters, cursor: string | null, limit: number) {
  return {
    limit,
    ...(cursor ? { cursor } : {}),
    ...(filters.sort !== "created_at" ? { sort: filters.sort } : {}),
    ...(filters.q ? { q: filters.q } : {}),
  };
}

/** A key that changes whenever the listing must start over. */
export function filtersKey(filters: ImageFilters): string {
  return `${filters.sort}\n${filters.q}`;
}

/**
 * The page's sort and search, read from and written to the URL, so a reload or the back button
 * keeps them. Changing the sort is a step in the history; typing in the search box is not.
 */
export function useImageFilters() {
  const [params, setParams] = useSearchParams();
  const filters = filtersFromParams(params);
  const setSort = useCallback(
    (sort: ImageSort) => setParams((p) => writeFilters(p, { sort })),
    [setParams],
  );
  const setQuery = useCallback(
    (q: string) => setParams((p) => writeFilters(p, { q }), { replace: true }),
    [setParams],
  );
  return { filters, setSort, setQuery };
}
