import { describe, expect, it, vi } from "vitest";
import { ApiError } from "./errors";
import { uploadImages, uploadUrl } from "./upload";

/** Enough of XMLHttpRequest to script an answer and upload progress. */
class FakeXhr {
  static script: { status: number; body: string }[] = [];
  static sent: FakeXhr[] = [];
  headers: Record<string, string> = {};
  method = "";
  url = "";
  status = 0;
  statusText = "";
  responseText = "";
  body: FormData | null = null;
  upload: { onprogress: ((e: { lengthComputable: boolean; loaded: number; total: number }) => void) | null } = { onprogress: null };
  onload: (() => void) | null = null;
  onerror: (() => void) | null = null;
  onabort: (() => void) | null = null;
  open(method: string, url: string) {
    this.method = method;
    this.url = url;
  }
  setRequestHeader(name: string, value: string) {
    this.headers[name.toLowerCase()] = value;
  }
  getResponseHeader() {
    return "application/json";
  }
  abort() {
    this.onabort?.();
  }
  send(body: FormData) {
    this.body = body;
    FakeXhr.sent.push(this);
    const answer = FakeXhr.script.shift() ?? { status: 500, body: "" };
    queueMicrotask(() => {
      this.upload.onprogress?.({ lengthComputable: true, loaded: 50, total: 100 });
      this.upload.onprogress?.({ lengthComputable: true, loaded: 100, total: 100 });
      this.status = answer.status;
      this.responseText = answer.body;
      this.onload?.();
    });
  }
}

const makeXhr = () => {
  const xhr = new FakeXhr();
  return xhr as unknown as XMLHttpRequest;
};

const file = (name: string) => new File(["pixels"], name, { type: "image/png" });
const auth = (token = "access-1", renewed: string | null = "access-2") => ({
  bearerToken: vi.fn(() => Promise.resolve(token)),
  renewAfter401: vi.fn(() => Promise.resolve(renewed)),
});

describe("uploadImages", () => {
  it("posts every file as a `file` part with the bearer token and reports progress", async () => {
    FakeXhr.sent = [];
    FakeXhr.script = [{ status: 201, body: JSON.stringify({ images: [], rejected: [] }) }];
    const progress = vi.fn();
    const result = await uploadImages({ albumId: "a1", files: [file("a.png"), file("b.png")], onProgress: progress }, auth(), makeXhr);
    expect(result).toEqual({ images: [], rejected: [] });
    const xhr = FakeXhr.sent[0];
    expect(xhr?.url).toBe(uploadUrl("a1"));
    expect(xhr?.url).toBe("/api/v1/albums/a1/images");
    expect(xhr?.headers.authorization).toBe("Bearer access-1");
    expect(xhr?.body?.getAll("file").map((f) => (f as File).name)).toEqual(["a.png", "b.png"]);
    expect(progress).toHaveBeenLastCalledWith({ loaded: 100, total: 100 });
  });

  it("rejects with the problem when no file was stored", async () => {
    FakeXhr.script = [
      { status: 415, body: JSON.stringify({ type: "t", title: "Unsupported Media Type", status: 415, detail: "not an accepted image type" }) },
    ];
    const error = await uploadImages({ albumId: "a1", files: [file("x.png")] }, auth(), makeXhr).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).status).toBe(415);
  });

  it("renews the token once after a 401 and sends again", async () => {
    FakeXhr.sent = [];
    FakeXhr.script = [
      { status: 401, body: JSON.stringify({ type: "t", title: "Unauthorized", status: 401, detail: "expired" }) },
      { status: 201, body: JSON.stringify({ images: [], rejected: [] }) },
    ];
    const credentials = auth();
    await uploadImages({ albumId: "a1", files: [file("a.png")] }, credentials, makeXhr);
    expect(credentials.renewAfter401).toHaveBeenCalledWith("access-1");
    expect(FakeXhr.sent.map((x) => x.headers.authorization)).toEqual(["Bearer access-1", "Bearer access-2"]);
  });
});
