import { fireEvent, render, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { MemoryRouter } from "react-router";
import { describe, expect, it, vi } from "vitest";
import type { Image, Variant } from "../../api/types";
import { AuthProvider } from "../../auth/AuthProvider";
import { UploadTray } from "../../features/upload/UploadTray";
import type { UploadQueue } from "../../features/upload/useUploadQueue";
import { newItems } from "../../features/upload/queue";
import { LoginPage, SignupPage } from "../../pages/AuthPages";
import { PhotoGrid } from "../PhotoGrid";
import { Viewer } from "../Viewer";

const variant = (width: number, height: number, size = "thumb"): Variant => ({
  url: `http://albumen.test/c/${size}`,
  width,
  height,
  bytes: 1000,
  content_type: "image/jpeg",
  formats: ["jpeg"],
});

function photo(id: string, width: number, height: number, original = true): Image {
  return {
    id,
    album_id: "album",
    filename: `${id}.jpg`,
    content_type: "image/jpeg",
    width,
    height,
    bytes: 123456,
    sha256: "0".repeat(64),
    created_at: "2026-05-01T10:00:00Z",
    taken_at: null,
    camera: null,
    exposure: null,
    location: null,
    placeholder: { thumbhash: "", color: "#808080" },
    variants: {
      thumb: variant(300, Math.round((300 * height) / width), "thumb"),
      small: variant(640, 480, "small"),
      medium: variant(1280, 960, "medium"),
      large: variant(2048, 1536, "large"),
      original: original ? variant(width, height, "original") : null,
    },
  };
}

describe("PhotoGrid", () => {
  it("reserves each tile's aspect ratio before the picture loads, with alt text and lazy loading", () => {
    render(<PhotoGrid images={[photo("wide", 4000, 2000), photo("tall", 1000, 2000)]} label="Photos" onOpen={vi.fn()} />);
    const tiles = screen.getAllByRole("listitem");
    expect(tiles[0]?.style.getPropertyValue("--ratio")).toBe("2");
    expect(tiles[1]?.style.getPropertyValue("--ratio")).toBe("0.5");
    const img = screen.getByAltText(/^wide\.jpg, uploaded/);
    expect(img).toHaveAttribute("loading", "lazy");
    expect(img).toHaveAttribute("src", "http://albumen.test/c/thumb");
  });

  it("opens a photo from the keyboard and asks for fresh URLs when a thumbnail fails", async () => {
    const onOpen = vi.fn();
    const onStale = vi.fn();
    render(<PhotoGrid images={[photo("a", 100, 100)]} label="Photos" onOpen={onOpen} onStale={onStale} />);
    const button = screen.getByRole("button", { name: "Open a.jpg" });
    button.focus();
    await userEvent.keyboard("{Enter}");
    expect(onOpen).toHaveBeenCalledWith(expect.objectContaining({ id: "a" }));
    fireEvent.error(screen.getByRole("img"));
    expect(onStale).toHaveBeenCalled();
  });
});

describe("Viewer", () => {
  const images = [photo("first", 3000, 2000), photo("second", 3000, 2000), photo("shared", 3000, 2000, false)];

  it("shows the medium size first and switches to large", async () => {
    render(<Viewer images={images} index={0} onIndexChange={vi.fn()} onClose={vi.fn()} />);
    expect(screen.getByRole("img", { name: "first.jpg" })).toHaveAttribute("src", "http://albumen.test/c/medium");
    await userEvent.click(screen.getByRole("button", { name: "Large" }));
    expect(screen.getByRole("img", { name: "first.jpg" })).toHaveAttribute("src", "http://albumen.test/c/large");
    expect(screen.getByRole("button", { name: "Large" })).toHaveAttribute("aria-pressed", "true");
  });

  it("goes to the next and previous photo with the arrow keys", () => {
    const onIndexChange = vi.fn();
    render(<Viewer images={images} index={1} onIndexChange={onIndexChange} onClose={vi.fn()} />);
    const dialog = screen.getByRole("dialog");
    fireEvent.keyDown(dialog, { key: "ArrowRight" });
    fireEvent.keyDown(dialog, { key: "ArrowLeft" });
    expect(onIndexChange.mock.calls).toEqual([[2], [0]]);
  });

  it("offers no original and no delete to a visitor", () => {
    render(<Viewer images={images} index={2} onIndexChange={vi.fn()} onClose={vi.fn()} />);
    expect(screen.getByRole("button", { name: "Original" })).toBeDisabled();
    expect(screen.queryByRole("button", { name: "Delete photo" })).toBeNull();
    expect(screen.getByRole("link", { name: "Download" })).toHaveAttribute("href", "http://albumen.test/c/large");
  });

  it("deletes only after confirmation", async () => {
    const onDelete = vi.fn(() => Promise.resolve());
    render(<Viewer images={images} index={0} onIndexChange={vi.fn()} onClose={vi.fn()} onDelete={onDelete} />);
    await userEvent.click(screen.getByRole("button", { name: "Delete photo" }));
    expect(onDelete).not.toHaveBeenCalled();
    const confirm = screen.getByRole("dialog", { name: "Move this photo to the Trash?" });
    expect(confirm).toHaveTextContent("goes to the Trash for 30 days");
    await userEvent.click(within(confirm).getByRole("button", { name: "Move to Trash" }));
    expect(onDelete).toHaveBeenCalledWith(expect.objectContaining({ id: "first" }));
  });
});

describe("UploadTray", () => {
  it("shows a per-file error next to the file and a bar per file while sending", () => {
    let n = 0;
    const items = newItems(
      [new File(["a"], "a.png", { type: "image/png" }), new File(["b"], "notes.txt", { type: "text/plain" })],
      () => `i${++n}`,
    );
    const [first, second] = items;
    if (!first || !second) throw new Error("no items");
    const queue: UploadQueue = {
      items: [{ ...first, status: "uploading", sent: 0 }, second],
      running: true,
      add: vi.fn(),
      remove: vi.fn(),
      start: vi.fn(() => Promise.resolve()),
      clearFinished: vi.fn(),
    };
    render(<UploadTray queue={queue} target="Holidays" onClose={vi.fn()} />);
    expect(screen.getByRole("progressbar", { name: "Overall upload progress" })).toBeInTheDocument();
    expect(screen.getByRole("progressbar", { name: "Progress of a.png" })).toHaveAttribute("aria-valuenow", "0");
    const row = screen.getByText("notes.txt").closest("li");
    expect(row).toHaveTextContent("Not a supported image");
  });
});

describe("sign-up and login", () => {
  it("shows the API's field errors under their fields", async () => {
    vi.stubGlobal(
      "fetch",
      vi.fn(() =>
        Promise.resolve(
          new Response(
            JSON.stringify({
              type: "urn:albumen:problem:validation-failed",
              title: "Unprocessable Content",
              status: 422,
              detail: "the request has invalid fields",
              errors: [
                { field: "username", message: "must be 3 to 32 of a-z 0-9 _ . -" },
                { field: "password", message: "must be 8 to 128 characters" },
              ],
            }),
            { status: 422, headers: { "content-type": "application/problem+json" } },
          ),
        ),
      ),
    );
    render(
      <MemoryRouter initialEntries={["/signup"]}>
        <AuthProvider>
          <SignupPage />
        </AuthProvider>
      </MemoryRouter>,
    );
    await userEvent.type(screen.getByLabelText("Username"), "x!");
    await userEvent.type(screen.getByLabelText("E-mail"), "x@example.com");
    await userEvent.type(screen.getByLabelText("Password"), "short");
    await userEvent.click(screen.getByRole("button", { name: "Create account" }));
    await waitFor(() => expect(screen.getByLabelText("Username")).toHaveAttribute("aria-invalid", "true"));
    expect(screen.getByLabelText("Username")).toHaveAccessibleDescription("must be 3 to 32 of a-z 0-9 _ . -");
    expect(screen.getByLabelText("Password")).toHaveAccessibleDescription("must be 8 to 128 characters");
    vi.unstubAllGlobals();
  });

  it("says a wrong password in one sentence", async () => {
    vi.stubGlobal(
      "fetch",
      vi.fn(() =>
        Promise.resolve(
          new Response(JSON.stringify({ type: "t", title: "Unauthorized", status: 401, detail: "wrong username or password" }), {
            status: 401,
            headers: { "content-type": "application/problem+json" },
          }),
        ),
      ),
    );
    render(
      <MemoryRouter initialEntries={["/login"]}>
        <AuthProvider>
          <LoginPage />
        </AuthProvider>
      </MemoryRouter>,
    );
    await userEvent.type(screen.getByLabelText("Username or e-mail"), "ada");
    await userEvent.type(screen.getByLabelText("Password"), "nope-nope");
    await userEvent.click(screen.getByRole("button", { name: "Log in" }));
    expect(await screen.findByText("That username or password isn't right.")).toBeInTheDocument();
    vi.unstubAllGlobals();
  });
});
