// The album page's sort and search: read from the URL, passed to GET /albums/{id}/images, and a
// search that finds nothing says so instead of offering the upload drop zone.
import { render, screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { MemoryRouter, Route, Routes } from "react-router";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { Album, Image } from "../../api/types";
import { ToastProvider } from "../../components/Toasts";
import { photoOf } from "../../test/fixtures";
import { AlbumPage } from "../AlbumPage";

const ALBUM = "0190a1b2-0000-7000-8000-000000000001";
const album: Album = {
  id: ALBUM,
  name: "Trip",
  description: null,
  parent_id: null,
  visibility: "private",
  image_count: 2,
  tree_image_count: 2,
  cover_image_id: null,
  cover: null,
  created_at: "2026-05-01T10:00:00Z",
  updated_at: "2026-05-01T10:00:00Z",
};

afterEach(() => vi.unstubAllGlobals());

function serve(images: (query: URLSearchParams) => Image[]): URLSearchParams[] {
  const listings: URLSearchParams[] = [];
  vi.stubGlobal(
    "fetch",
    vi.fn((input: Request) => {
      const url = new URL(input.url);
      let body: unknown = {};
      if (url.pathname === `/api/v1/albums/${ALBUM}`) body = album;
      else if (url.pathname === "/api/v1/albums") body = { items: [], next_cursor: null };
      else if (url.pathname === `/api/v1/albums/${ALBUM}/images`) {
        listings.push(url.searchParams);
        body = { items: images(url.searchParams), next_cursor: null };
      }
      return Promise.resolve(new Response(JSON.stringify(body), { status: 200, headers: { "content-type": "application/json" } }));
    }),
  );
  return listings;
}

function renderAt(search: string) {
  render(
    <ToastProvider>
      <MemoryRouter initialEntries={[`/albums/${ALBUM}${search}`]}>
        <Routes>
          <Route path="/albums/:id" element={<AlbumPage />} />
        </Routes>
      </MemoryRouter>
    </ToastProvider>,
  );
}

describe("album page sort and search", () => {
  it("passes sort and q from the URL to the album's listing", async () => {
    const listings = serve(() => [photoOf("beach")]);
    renderAt("?sort=taken_at&q=bea");
    await screen.findByRole("button", { name: "Open beach.jpg" });
    const last = listings[listings.length - 1];
    expect(last?.get("sort")).toBe("taken_at");
    expect(last?.get("q")).toBe("bea");
    expect(screen.getByRole("list", { name: "Photos in Trip matching “bea”" })).toBeInTheDocument();
  });

  it("says no photos match, not 'Drop photos here', and the search box stays", async () => {
    const listings = serve((q) => (q.get("q") ? [] : [photoOf("a"), photoOf("b")]));
    renderAt("");
    await screen.findByRole("button", { name: "Open a.jpg" });
    expect(listings[listings.length - 1]?.has("q")).toBe(false);
    await userEvent.type(screen.getByRole("searchbox", { name: "Search by file name" }), "zzz");
    await screen.findByRole("heading", { name: "No photos match “zzz”" });
    expect(listings[listings.length - 1]?.get("q")).toBe("zzz");
    expect(screen.queryByText("Drop photos here")).toBeNull();
    await userEvent.click(screen.getByRole("button", { name: "Show all photos" }));
    await screen.findByRole("button", { name: "Open a.jpg" });
    await waitFor(() => expect(listings[listings.length - 1]?.has("q")).toBe(false));
  });
});
