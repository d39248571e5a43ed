import { act, fireEvent, render, screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { MemoryRouter, Route, Routes } from "react-router";
import { describe, expect, it, vi } from "vitest";
import type { Album, Image, Variant } from "../../api/types";
import { AuthProvider } from "../../auth/AuthProvider";
import { AlbumFormDialog } from "../../features/albums/AlbumFormDialog";
import { useDocumentTitle } from "../../hooks/useDocumentTitle";
import { SharedAlbumPage } from "../../pages/SharedAlbumPage";
import { AlbumGrid } from "../AlbumGrid";
import { ConfirmDialog } from "../ConfirmDialog";
import { ToastProvider } from "../Toasts";
import { useToast } from "../ToastContext";
import { Viewer } from "../Viewer";

const variant = (size: string, type = "image/jpeg"): Variant => ({
  url: `http://albumen.test/c/${size}`,
  width: 640,
  height: 480,
  bytes: 1000,
  content_type: type,
  formats: ["jpeg"],
});

function photo(id: string, contentType: Image["content_type"] = "image/jpeg", original = true): Image {
  return {
    id,
    album_id: "album",
    filename: `${id}.${contentType.replace("image/", "")}`,
    content_type: contentType,
    width: 640,
    height: 480,
    bytes: 1234,
    sha256: "0".repeat(64),
    created_at: "2026-05-01T10:00:00Z",
    taken_at: null,
    camera: null,
    exposure: null,
    location: null,
    placeholder: { thumbhash: "", color: "#808080" },
    variants: {
      thumb: variant("thumb"),
      small: variant("small"),
      medium: variant("medium"),
      large: variant("large"),
      original: original ? variant("original", contentType) : null,
    },
  };
}

function album(fields: Partial<Album>): Album {
  return {
    id: "a1",
    name: "Trips",
    description: null,
    parent_id: null,
    visibility: "private",
    image_count: 0,
    tree_image_count: 0,
    cover_image_id: null,
    cover: null,
    created_at: "2026-05-01T10:00:00Z",
    updated_at: "2026-05-01T10:00:00Z",
    ...fields,
  };
}

describe("dialogs take typing at once", () => {
  it("focuses the name field of the New album dialog, so typed text (spaces too) lands in it", async () => {
    render(<AlbumFormDialog open onClose={vi.fn()} onSaved={vi.fn()} />);
    const name = screen.getByLabelText("Name");
    expect(name).toHaveFocus();
    await userEvent.keyboard("Summer trips");
    expect(name).toHaveValue("Summer trips");
    expect(screen.getByRole("dialog", { name: "New album" })).toBeInTheDocument();
  });

  it("selects the current name in the Rename dialog, so typing replaces it", async () => {
    render(<AlbumFormDialog open album={album({ name: "Old" })} onClose={vi.fn()} onSaved={vi.fn()} />);
    await userEvent.keyboard("New name");
    expect(screen.getByLabelText("Name")).toHaveValue("New name");
  });

  it("starts a confirmation on its safe answer", () => {
    render(
      <ConfirmDialog open title="Delete it?" confirmLabel="Delete" onConfirm={() => Promise.resolve()} onClose={vi.fn()}>
        <p>Gone for good.</p>
      </ConfirmDialog>,
    );
    expect(screen.getByRole("button", { name: "Cancel" })).toHaveFocus();
  });
});

describe("the viewer", () => {
  it("shows a GIF's original, which keeps the animation", () => {
    render(<Viewer images={[photo("loop", "image/gif")]} index={0} onIndexChange={vi.fn()} onClose={vi.fn()} />);
    const img = screen.getByRole("img", { name: "loop.gif" });
    expect(img).toHaveAttribute("src", "http://albumen.test/c/original");
    expect(screen.getByRole("button", { name: "Original" })).toHaveAttribute("aria-pressed", "true");
  });

  it("shows a JPEG at medium first", () => {
    render(<Viewer images={[photo("still")]} index={0} onIndexChange={vi.fn()} onClose={vi.fn()} />);
    expect(screen.getByRole("img", { name: "still.jpeg" })).toHaveAttribute("src", "http://albumen.test/c/medium");
  });

  it("steps to the next photo on a swipe left and back on a swipe right", () => {
    const onIndexChange = vi.fn();
    const images = [photo("a"), photo("b"), photo("c")];
    const { container } = render(<Viewer images={images} index={1} onIndexChange={onIndexChange} onClose={vi.fn()} />);
    const stage = container.querySelector(".viewer__stage");
    if (!stage) throw new Error("no stage");
    const drag = (fromX: number, toX: number, dy = 0) => {
      fireEvent.pointerDown(stage, { pointerId: 1, pointerType: "touch", isPrimary: true, clientX: fromX, clientY: 300 });
      fireEvent.pointerUp(stage, { pointerId: 1, pointerType: "touch", isPrimary: true, clientX: toX, clientY: 300 + dy });
    };
    drag(300, 80);
    drag(80, 300);
    drag(200, 180); // too short
    drag(200, 120, 200); // mostly vertical
    expect(onIndexChange.mock.calls).toEqual([[2], [0]]);
  });

  it("names the tab after the photo while open, and gives the page its title back on close", () => {
    function Page({ open }: { open: boolean }) {
      useDocumentTitle("Holidays");
      return open ? <Viewer images={[photo("sunset")]} index={0} onIndexChange={vi.fn()} onClose={vi.fn()} /> : null;
    }
    const { rerender } = render(<Page open />);
    expect(document.title).toBe("sunset.jpeg — Albumen");
    rerender(<Page open={false} />);
    expect(document.title).toBe("Holidays — Albumen");
  });

  it("gives every icon button a name and a tooltip", () => {
    render(<Viewer images={[photo("a"), photo("b")]} index={0} onIndexChange={vi.fn()} onClose={vi.fn()} onDelete={vi.fn()} />);
    for (const name of ["Close viewer", "Photo details", "Delete photo", "Next photo"]) {
      expect(screen.getByRole("button", { name })).toHaveAttribute("title");
    }
  });
});

describe("album cards", () => {
  it("count the photos of the whole tree when the server sends it", () => {
    render(
      <MemoryRouter>
        <AlbumGrid albums={[album({ image_count: 0, tree_image_count: 12 })]} label="Albums" />
      </MemoryRouter>,
    );
    expect(screen.getByRole("link", { name: /Trips/ })).toHaveTextContent("12 photos");
  });

  it("show an album's own count when it has no sub-albums", () => {
    render(
      <MemoryRouter>
        <AlbumGrid albums={[album({ image_count: 3, tree_image_count: 3 })]} label="Albums" />
      </MemoryRouter>,
    );
    expect(screen.getByRole("link", { name: /Trips/ })).toHaveTextContent("3 photos");
  });
});

describe("toasts", () => {
  it("are placed inside the open modal dialog, so they are not inert behind it", async () => {
    let notify: (message: string) => void = () => undefined;
    function Probe() {
      notify = useToast().notify;
      return null;
    }
    render(
      <ToastProvider>
        <Probe />
        <ConfirmDialog open title="Delete it?" confirmLabel="Delete" onConfirm={() => Promise.resolve()} onClose={vi.fn()}>
          <p>Gone.</p>
        </ConfirmDialog>
      </ToastProvider>,
    );
    act(() => notify("Photo deleted"));
    const dialog = screen.getByRole("dialog", { name: "Delete it?" });
    expect(await within(dialog).findByText("Photo deleted")).toBeInTheDocument();
  });
});

describe("a visitor of a public parent album", () => {
  function serve(routes: Record<string, unknown>) {
    vi.stubGlobal(
      "fetch",
      vi.fn((input: Request) => {
        const url = new URL(input.url);
        const key = `${url.pathname}${url.searchParams.has("parent_id") ? "?children" : ""}`;
        const body = routes[key];
        return Promise.resolve(
          body === undefined
            ? new Response(JSON.stringify({ type: "about:blank", title: "Unauthorized", status: 401 }), {
                status: 401,
                headers: { "content-type": "application/problem+json" },
              })
            : new Response(JSON.stringify(body), { status: 200, headers: { "content-type": "application/json" } }),
        );
      }),
    );
  }

  function renderShared() {
    render(
      <MemoryRouter initialEntries={["/shared/albums/a1"]}>
        <AuthProvider>
          <Routes>
            <Route path="/shared/albums/:id" element={<SharedAlbumPage />} />
          </Routes>
        </AuthProvider>
      </MemoryRouter>,
    );
  }

  it("sees its public sub-albums instead of “No photos in here yet”", async () => {
    serve({
      "/api/v1/albums/a1": album({ visibility: "public", tree_image_count: 3 }),
      "/api/v1/albums/a1/images": { items: [], next_cursor: null },
      "/api/v1/albums?children": {
        items: [
          album({ id: "l1", name: "Lisbon", parent_id: "a1", visibility: "public", image_count: 2, tree_image_count: 2 }),
          album({ id: "p1", name: "Private", parent_id: "a1", visibility: "private", image_count: 1, tree_image_count: 1 }),
        ],
        next_cursor: null,
      },
    });
    renderShared();
    const grid = await screen.findByRole("list", { name: "Albums in Trips" });
    expect(within(grid).getByRole("link", { name: /Lisbon/ })).toHaveAttribute("href", "/shared/albums/l1");
    expect(within(grid).queryByRole("link", { name: /Private/ })).toBeNull();
    expect(screen.getByText("3 photos")).toBeInTheDocument();
    expect(screen.queryByText("No photos in here yet")).toBeNull();
  });

  it("is told the photos are in sub-albums when the server lists none to visitors", async () => {
    serve({
      "/api/v1/albums/a1": album({ visibility: "public", tree_image_count: 3 }),
      "/api/v1/albums/a1/images": { items: [], next_cursor: null },
    });
    renderShared();
    expect(await screen.findByRole("heading", { name: "The photos are in its sub-albums" })).toBeInTheDocument();
    expect(screen.queryByText("No photos in here yet")).toBeNull();
  });
});
