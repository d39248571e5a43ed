// Issue "formats, metadata and placeholders" in the SPA: responsive pictures, placeholders, the
// viewer's photo facts, and the sort/search of the photo listings kept in the URL.
import { act, fireEvent, render, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { MemoryRouter, Route, Routes, useLocation } from "react-router";
import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import type { Image } from "../../api/types";
import { PhotosPage } from "../../pages/PhotosPage";
import { photoOf } from "../../test/fixtures";
import { PhotoGrid } from "../PhotoGrid";
import { ToastProvider } from "../Toasts";
import { Viewer } from "../Viewer";

// A ResizeObserver the tests drive by hand (jsdom has none and lays nothing out).
const observed = new Set<Element>();
let resize: ResizeObserverCallback = () => undefined;
beforeAll(() => {
  vi.stubGlobal(
    "ResizeObserver",
    class {
      constructor(callback: ResizeObserverCallback) {
        resize = callback;
      }
      observe(node: Element) {
        observed.add(node);
      }
      unobserve(node: Element) {
        observed.delete(node);
      }
      disconnect() {
        observed.clear();
      }
    },
  );
});

function layOut(node: Element, width: number, height: number) {
  const entry = { target: node, contentRect: { width, height } } as unknown as ResizeObserverEntry;
  act(() => resize([entry], {} as ResizeObserver));
}

describe("responsive grid tiles", () => {
  it("offer thumb, small and medium by width, sized by the tile's basis, then its measured width", () => {
    render(<PhotoGrid images={[photoOf("a")]} label="Photos" onOpen={vi.fn()} />);
    const img = screen.getByAltText(/^a\.jpg, uploaded/);
    expect(img).toHaveAttribute("src", "http://albumen.test/c/a/thumb");
    expect(img).toHaveAttribute(
      "srcset",
      "http://albumen.test/c/a/thumb 300w, http://albumen.test/c/a/small 640w, http://albumen.test/c/a/medium 1280w",
    );
    // 4:3 at a 230 px row (120 px on phones), before layout.
    expect(img).toHaveAttribute("sizes", "(max-width: 720px) 160px, 307px");
    const tile = screen.getByRole("listitem");
    expect(observed.has(tile)).toBe(true);
    layOut(tile, 455.3, 341);
    expect(img).toHaveAttribute("sizes", "456px");
  });

  it("paint the placeholder colour and blurred ThumbHash at once, and drop them once the photo is in", async () => {
    render(<PhotoGrid images={[photoOf("a")]} label="Photos" onOpen={vi.fn()} />);
    const tile = screen.getByRole("listitem");
    expect(tile.style.backgroundColor).toBe("rgb(170, 85, 51)");
    expect(tile.style.backgroundImage).toMatch(/^url\("data:image\/png;base64,/);
    fireEvent.load(screen.getByRole("img"));
    expect(screen.getByRole("img")).toHaveClass("is-loaded");
    await waitFor(() => expect(tile.style.backgroundImage).toBe(""));
    expect(tile.style.backgroundColor).toBe("");
  });

  it("paint just the colour when there is no usable ThumbHash", () => {
    render(
      <PhotoGrid
        images={[photoOf("a", { placeholder: { thumbhash: "", color: "#102030" } })]}
        label="Photos"
        onOpen={vi.fn()}
      />,
    );
    const tile = screen.getByRole("listitem");
    expect(tile.style.backgroundColor).toBe("rgb(16, 32, 48)");
    expect(tile.style.backgroundImage).toBe("");
  });
});

describe("viewer pictures and facts", () => {
  const withFacts = photoOf("shot", {
    taken_at: "2024-06-01T18:30:00-00:00",
    camera: { make: "Apple", model: "iPhone 15 Pro", lens: "iPhone 15 Pro back camera 6.765mm f/1.78" },
    exposure: { f_number: 1.78, exposure_time: "1/250", iso: 100, focal_length_mm: 6.765 },
    location: { latitude: 48.85837, longitude: 2.294481 },
  });

  it("lets the browser pick medium or large for the fitted picture until a size is chosen", async () => {
    render(<Viewer images={[withFacts]} index={0} onIndexChange={vi.fn()} onClose={vi.fn()} />);
    // The picture waits for the frame's size (a guess would have the browser fetch too big).
    expect(screen.queryByRole("img", { name: "shot.jpg" })).toBeNull();
    const frame = document.querySelector(".viewer__frame");
    if (!frame) throw new Error("no frame");
    // A 1200 × 600 frame fits a 4:3 picture 800 px wide.
    layOut(frame, 1200, 600);
    const img = screen.getByRole("img", { name: "shot.jpg" });
    expect(img).toHaveAttribute("src", "http://albumen.test/c/shot/medium");
    expect(img).toHaveAttribute("srcset", "http://albumen.test/c/shot/medium 1280w, http://albumen.test/c/shot/large 2048w");
    expect(img).toHaveAttribute("sizes", "800px");
    // Large chosen by hand: that one only.
    await userEvent.click(screen.getByRole("button", { name: "Large" }));
    const large = screen.getByRole("img", { name: "shot.jpg" });
    expect(large).toHaveAttribute("src", "http://albumen.test/c/shot/large");
    expect(large).not.toHaveAttribute("srcset");
  });

  it("shows date taken, camera, lens, exposure and a map link in the details", async () => {
    render(<Viewer images={[withFacts]} index={0} onIndexChange={vi.fn()} onClose={vi.fn()} />);
    await userEvent.click(screen.getByRole("button", { name: "Photo details" }));
    const details = within(screen.getByRole("complementary", { name: "Photo details" }));
    const fact = (term: string) => details.getByText(term).nextElementSibling;
    const taken = fact("Taken");
    expect(taken?.textContent).toMatch(/2024/);
    expect(taken?.textContent).toMatch(/18:30|6:30/);
    expect(taken?.textContent).not.toMatch(/UTC/);
    expect(taken?.querySelector("time")).toHaveAttribute("datetime", "2024-06-01T18:30:00");
    expect(fact("Camera")).toHaveTextContent("Apple iPhone 15 Pro");
    expect(fact("Lens")).toHaveTextContent("iPhone 15 Pro back camera 6.765mm f/1.78");
    expect(fact("Exposure")).toHaveTextContent("f/1.8 · 1/250 s · ISO 100 · 6.8 mm");
    const link = details.getByRole("link", { name: /48\.85837° N, 2\.29448° E/ });
    expect(link).toHaveAttribute("href", "https://www.openstreetmap.org/?mlat=48.85837&mlon=2.29448#map=15/48.85837/2.29448");
    expect(link).toHaveAttribute("target", "_blank");
  });

  it("leaves out the facts a photo does not have", async () => {
    render(<Viewer images={[photoOf("plain")]} index={0} onIndexChange={vi.fn()} onClose={vi.fn()} />);
    await userEvent.click(screen.getByRole("button", { name: "Photo details" }));
    const details = within(screen.getByRole("complementary", { name: "Photo details" }));
    for (const term of ["Taken", "Camera", "Lens", "Exposure", "Location"]) {
      expect(details.queryByText(term)).toBeNull();
    }
    expect(details.getByText("Uploaded")).toBeInTheDocument();
  });
});

describe("sort and search on the Photos page", () => {
  afterEach(() => vi.unstubAllGlobals());

  /** Stubs the listing: `answer(query)` gives the images; records each listing's query. */
  function serveListing(answer: (query: URLSearchParams) => Image[]): URLSearchParams[] {
    const queries: URLSearchParams[] = [];
    vi.stubGlobal(
      "fetch",
      vi.fn((input: Request) => {
        const url = new URL(input.url);
        if (url.pathname === "/api/v1/images") queries.push(url.searchParams);
        const body = url.pathname === "/api/v1/images" ? { items: answer(url.searchParams), next_cursor: null } : {};
        return Promise.resolve(
          new Response(JSON.stringify(body), { status: 200, headers: { "content-type": "application/json" } }),
        );
      }),
    );
    return queries;
  }

  function Where() {
    const location = useLocation();
    return <output data-testid="where">{location.search}</output>;
  }

  function renderAt(url: string) {
    render(
      <ToastProvider>
        <MemoryRouter initialEntries={[url]}>
          <Routes>
            <Route
              path="/"
              element={
                <>
                  <PhotosPage />
                  <Where />
                </>
              }
            />
          </Routes>
        </MemoryRouter>
      </ToastProvider>,
    );
  }

  const where = () => screen.getByTestId("where").textContent;
  const last = (queries: URLSearchParams[]) => queries[queries.length - 1];

  it("reads sort and q from the URL and passes them to the listing", async () => {
    const queries = serveListing(() => [photoOf("beach-1")]);
    renderAt("/?sort=taken_at&q=beach");
    await screen.findByRole("button", { name: "Open beach-1.jpg" });
    expect(last(queries)?.get("sort")).toBe("taken_at");
    expect(last(queries)?.get("q")).toBe("beach");
    expect(screen.getByRole("searchbox", { name: "Search by file name" })).toHaveValue("beach");
    const sort = within(screen.getByRole("group", { name: "Sort photos by" }));
    expect(sort.getByRole("button", { name: "Taken" })).toHaveAttribute("aria-pressed", "true");
    expect(sort.getByRole("button", { name: "Uploaded" })).toHaveAttribute("aria-pressed", "false");
  });

  it("sends neither by default; the sort toggle and the debounced search go into the URL and the listing", async () => {
    const queries = serveListing((q) => (q.get("q") === "zzz" ? [] : [photoOf("p1"), photoOf("p2")]));
    renderAt("/");
    await screen.findByRole("button", { name: "Open p1.jpg" });
    expect(last(queries)?.has("sort")).toBe(false);
    expect(last(queries)?.has("q")).toBe(false);

    await userEvent.click(screen.getByRole("button", { name: "Taken" }));
    await waitFor(() => expect(last(queries)?.get("sort")).toBe("taken_at"));
    expect(where()).toBe("?sort=taken_at");

    const box = screen.getByRole("searchbox", { name: "Search by file name" });
    const before = queries.length;
    await userEvent.type(box, "zzz");
    // One listing for the whole word, once typing pauses.
    await screen.findByText("No photos match “zzz”");
    expect(queries.length).toBe(before + 1);
    expect(last(queries)?.get("q")).toBe("zzz");
    expect(last(queries)?.get("sort")).toBe("taken_at");
    expect(where()).toBe("?sort=taken_at&q=zzz");
    expect(screen.queryByText("Your photos will live here")).toBeNull();

    // Escape clears at once.
    await userEvent.type(box, "{Escape}");
    expect(box).toHaveValue("");
    await screen.findByRole("button", { name: "Open p1.jpg" });
    expect(last(queries)?.has("q")).toBe(false);
    expect(where()).toBe("?sort=taken_at");

    await userEvent.click(screen.getByRole("button", { name: "Uploaded" }));
    await waitFor(() => expect(where()).toBe(""));
    expect(last(queries)?.has("sort")).toBe(false);
  });

  it("clears the search with its button", async () => {
    const queries = serveListing(() => [photoOf("p1")]);
    renderAt("/?q=p");
    await screen.findByRole("button", { name: "Open p1.jpg" });
    await userEvent.click(screen.getByRole("button", { name: "Clear search" }));
    await waitFor(() => expect(where()).toBe(""));
    expect(screen.getByRole("searchbox", { name: "Search by file name" })).toHaveValue("");
    expect(screen.getByRole("searchbox", { name: "Search by file name" })).toHaveFocus();
    expect(last(queries)?.has("q")).toBe(false);
  });

  it("shows the empty-library state only when nothing is searched", async () => {
    serveListing(() => []);
    renderAt("/");
    await screen.findByText("Your photos will live here");
    expect(screen.queryByRole("searchbox")).toBeNull();
  });
});
