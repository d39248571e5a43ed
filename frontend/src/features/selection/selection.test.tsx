import { fireEvent, render, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { MemoryRouter } from "react-router";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { Image, Variant } from "../../api/types";
import { PhotoGrid } from "../../components/PhotoGrid";
import { ToastProvider } from "../../components/Toasts";
import { Viewer } from "../../components/Viewer";
import { TrashPage } from "../trash/TrashPage";
import { SelectionBar } from "./SelectionBar";
import { useSelection } from "./useSelection";

const variant = (size: string): Variant => ({
  url: `http://albumen.test/c/${size}`,
  width: 300,
  height: 200,
  bytes: 1000,
  content_type: "image/jpeg",
  formats: ["jpeg"],
});

function photo(id: string): Image {
  return {
    id,
    album_id: "album",
    filename: `${id}.jpg`,
    content_type: "image/jpeg",
    width: 300,
    height: 200,
    bytes: 1000,
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
      original: variant("original"),
    },
  };
}

const images = ["p1", "p2", "p3", "p4", "p5"].map(photo);

interface Call {
  method: string;
  path: string;
  body: unknown;
}

/** Stubs fetch with `answer(method path) → body` (undefined: 204) and records every call. */
function serve(answer: (key: string, body: unknown) => unknown): Call[] {
  const calls: Call[] = [];
  vi.stubGlobal(
    "fetch",
    vi.fn(async (input: Request) => {
      const url = new URL(input.url);
      const text = await input.text();
      const body: unknown = text ? JSON.parse(text) : null;
      calls.push({ method: input.method, path: url.pathname, body });
      const out = answer(`${input.method} ${url.pathname}`, body);
      return out === undefined
        ? new Response(null, { status: 204 })
        : new Response(JSON.stringify(out), { status: 200, headers: { "content-type": "application/json" } });
    }),
  );
  return calls;
}

afterEach(() => vi.unstubAllGlobals());

function Harness({ onRemoved = vi.fn() }: { onRemoved?: (ids: readonly string[]) => void }) {
  const selection = useSelection(images);
  return (
    <>
      <SelectionBar selection={selection} images={images} albumId="album" onRemoved={onRemoved} />
      <PhotoGrid images={images} label="Photos" onOpen={vi.fn()} selection={selection} />
    </>
  );
}

function renderHarness(onRemoved?: (ids: readonly string[]) => void) {
  render(
    <ToastProvider>
      <Harness onRemoved={onRemoved ?? vi.fn()} />
    </ToastProvider>,
  );
}

const box = (id: string) => screen.getByRole("checkbox", { name: `Select ${id}.jpg` });
const checked = () => screen.getAllByRole("checkbox").filter((b) => (b as HTMLInputElement).checked).length;

describe("multi-select in the photo grid", () => {
  it("selects a range with shift-click", () => {
    renderHarness();
    fireEvent.click(box("p2"));
    fireEvent.click(box("p4"), { shiftKey: true });
    expect(checked()).toBe(3);
    expect(box("p1")).not.toBeChecked();
    expect(box("p3")).toBeChecked();
    expect(screen.getByRole("toolbar", { name: "Selection" })).toHaveTextContent("3 selected");
  });

  it("clears the selection on Escape", () => {
    renderHarness();
    fireEvent.click(box("p1"));
    fireEvent.click(box("p5"));
    expect(checked()).toBe(2);
    fireEvent.keyDown(document, { key: "Escape" });
    expect(checked()).toBe(0);
    expect(screen.queryByRole("toolbar", { name: "Selection" })).toBeNull();
  });

  it("selects all, and a click on a photo while selecting ticks it", () => {
    renderHarness();
    fireEvent.click(box("p1"));
    fireEvent.click(screen.getByRole("button", { name: "Select all" }));
    expect(checked()).toBe(5);
    fireEvent.click(screen.getByRole("button", { name: "Open p3.jpg" }));
    expect(checked()).toBe(4);
  });

  it("names every button of the toolbar", () => {
    renderHarness();
    fireEvent.click(box("p1"));
    const bar = screen.getByRole("toolbar", { name: "Selection" });
    for (const button of within(bar).getAllByRole("button")) {
      expect(button).toHaveAccessibleName();
      expect(button).toHaveAttribute("title");
    }
  });

  it("deletes the selected photos to the trash, and Undo restores them", async () => {
    const calls = serve((key, body) => {
      if (key === "POST /api/v1/images/delete") return { done: (body as { image_ids: string[] }).image_ids, failed: [] };
      if (key === "POST /api/v1/trash/restore") return { restored: (body as { ids: string[] }).ids, failed: [] };
      return undefined;
    });
    const onRemoved = vi.fn();
    renderHarness(onRemoved);
    fireEvent.click(box("p1"));
    fireEvent.click(box("p3"), { shiftKey: true });
    await userEvent.click(screen.getByRole("button", { name: "Delete selected photos" }));
    const confirm = screen.getByRole("dialog", { name: "Delete 3 photos?" });
    expect(confirm).toHaveTextContent("go to the Trash for 30 days");
    await userEvent.click(within(confirm).getByRole("button", { name: "Move to Trash" }));
    await waitFor(() => expect(onRemoved).toHaveBeenCalledWith(["p1", "p2", "p3"], "trashed"));
    expect(calls[0]).toEqual({
      method: "POST",
      path: "/api/v1/images/delete",
      body: { image_ids: ["p1", "p2", "p3"], permanent: false },
    });
    const toast = await screen.findByText("Moved 3 photos to Trash");
    await userEvent.click(within(toast.closest(".toast") as HTMLElement).getByRole("button", { name: "Undo", hidden: true }));
    await waitFor(() =>
      expect(calls).toContainEqual({ method: "POST", path: "/api/v1/trash/restore", body: { ids: ["p1", "p2", "p3"] } }),
    );
    expect(await screen.findByText("Restored")).toBeInTheDocument();
  });

  it("moves the selected photos to the album picked", async () => {
    const dest = { id: "dest", name: "Dest", parent_id: null };
    const calls = serve((key, body) => {
      if (key === "GET /api/v1/albums") return { items: [dest], next_cursor: null };
      if (key === "POST /api/v1/images/move") return { done: (body as { image_ids: string[] }).image_ids, failed: [] };
      return undefined;
    });
    const onRemoved = vi.fn();
    renderHarness(onRemoved);
    fireEvent.click(box("p2"));
    fireEvent.click(box("p5"));
    await userEvent.click(screen.getByRole("button", { name: "Move selected photos" }));
    const dialog = screen.getByRole("dialog", { name: "Move 2 photos" });
    await userEvent.click(await within(dialog).findByRole("button", { name: /Dest/ }));
    await userEvent.click(within(dialog).getByRole("button", { name: "Move to Dest" }));
    await waitFor(() => expect(onRemoved).toHaveBeenCalledWith(["p2", "p5"], "moved"));
    expect(calls).toContainEqual({
      method: "POST",
      path: "/api/v1/images/move",
      body: { image_ids: ["p2", "p5"], album_id: "dest" },
    });
  });
});

describe("the trash page", () => {
  const item = (id: string, kind: "album" | "image", name: string) => ({
    id,
    kind,
    name,
    deleted_at: "2026-05-01T10:00:00Z",
    purge_at: new Date(Date.now() + 29.5 * 24 * 3600 * 1000).toISOString(),
    images: kind === "album" ? 4 : 1,
    bytes: 2048,
  });

  it("restores what it can and says why the rest could not be", async () => {
    const calls = serve((key) => {
      if (key === "GET /api/v1/trash")
        return { items: [item("a1", "album", "Trips"), item("i1", "image", "beach.jpg")], next_cursor: null };
      if (key === "POST /api/v1/trash/restore")
        return { restored: ["a1"], failed: [{ id: "i1", status: 409, title: "Conflict" }] };
      return undefined;
    });
    render(
      <MemoryRouter>
        <ToastProvider>
          <TrashPage />
        </ToastProvider>
      </MemoryRouter>,
    );
    expect(await screen.findByText("Trips")).toBeInTheDocument();
    expect(screen.getByText(/Album · 4 photos/)).toHaveTextContent("deleted for good in 30 days");
    fireEvent.click(screen.getByRole("checkbox", { name: "Select Trips" }));
    fireEvent.click(screen.getByRole("checkbox", { name: "Select beach.jpg" }));
    await userEvent.click(screen.getByRole("button", { name: "Restore 2" }));
    const alert = await screen.findByRole("alert");
    expect(alert).toHaveTextContent("beach.jpg: restore the album it was in first");
    expect(calls).toContainEqual({ method: "POST", path: "/api/v1/trash/restore", body: { ids: ["a1", "i1"] } });
    await waitFor(() => expect(screen.queryByText("Trips")).toBeNull());
    expect(screen.getByText("beach.jpg")).toBeInTheDocument();
  });

  it("says when it is empty", async () => {
    serve(() => ({ items: [], next_cursor: null }));
    render(
      <MemoryRouter>
        <ToastProvider>
          <TrashPage />
        </ToastProvider>
      </MemoryRouter>,
    );
    expect(await screen.findByText("The trash is empty")).toBeInTheDocument();
  });
});

describe("use as cover", () => {
  it("is offered in the viewer when given, and says which photo is the cover", async () => {
    const onUseAsCover = vi.fn(() => Promise.resolve());
    const { rerender } = render(
      <Viewer images={images} index={1} onIndexChange={vi.fn()} onClose={vi.fn()} onUseAsCover={onUseAsCover} coverImageId={null} />,
    );
    await userEvent.click(screen.getByRole("button", { name: "Use as cover" }));
    expect(onUseAsCover).toHaveBeenCalledWith(expect.objectContaining({ id: "p2" }));
    rerender(
      <Viewer images={images} index={1} onIndexChange={vi.fn()} onClose={vi.fn()} onUseAsCover={onUseAsCover} coverImageId="p2" />,
    );
    expect(screen.getByRole("button", { name: "Album cover" })).toHaveAttribute("aria-pressed", "true");
  });

  it("is not offered without an owner's album", () => {
    render(<Viewer images={images} index={0} onIndexChange={vi.fn()} onClose={vi.fn()} />);
    expect(screen.queryByRole("button", { name: "Use as cover" })).toBeNull();
  });
});
