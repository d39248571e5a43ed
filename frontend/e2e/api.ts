// Setting the scene through the real API (faster than the forms): an account, albums, photos.
import { expect } from "vitest";

export const PASSWORD = "correct horse battery";

export interface Owner {
  username: string;
  token: string;
}

export interface PictureFile {
  name: string;
  type: string;
  bytes: Buffer;
}

export class ApiScene {
  constructor(private readonly baseUrl: string) {}

  async register(username: string): Promise<Owner> {
    const response = await fetch(`${this.baseUrl}/api/v1/auth/register`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ username, email: `${username}@example.com`, password: PASSWORD }),
    });
    expect(response.status).toBe(201);
    const body = (await response.json()) as { access_token: string };
    return { username, token: body.access_token };
  }

  async createAlbum(owner: Owner, name: string, parentId: string | null = null): Promise<string> {
    const response = await fetch(`${this.baseUrl}/api/v1/albums`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${owner.token}` },
      body: JSON.stringify({ name, parent_id: parentId }),
    });
    expect(response.status).toBe(201);
    return ((await response.json()) as { id: string }).id;
  }

  async makePublic(owner: Owner, albumId: string): Promise<void> {
    const response = await fetch(`${this.baseUrl}/api/v1/albums/${albumId}`, {
      method: "PATCH",
      headers: { "content-type": "application/json", authorization: `Bearer ${owner.token}` },
      body: JSON.stringify({ visibility: "public" }),
    });
    expect(response.status).toBe(200);
  }

  /** Uploads the files in this order (each its own request, so "newest first" is predictable). */
  async upload(owner: Owner, albumId: string, files: readonly PictureFile[]): Promise<void> {
    for (const file of files) {
      const form = new FormData();
      form.append("file", new Blob([new Uint8Array(file.bytes)], { type: file.type }), file.name);
      const response = await fetch(`${this.baseUrl}/api/v1/albums/${albumId}/images`, {
        method: "POST",
        headers: { authorization: `Bearer ${owner.token}` },
        body: form,
      });
      expect(response.status, `upload of ${file.name}`).toBe(201);
    }
  }

  async album(owner: Owner, albumId: string): Promise<Record<string, unknown>> {
    const response = await fetch(`${this.baseUrl}/api/v1/albums/${albumId}`, {
      headers: { authorization: `Bearer ${owner.token}` },
    });
    expect(response.status).toBe(200);
    return (await response.json()) as Record<string, unknown>;
  }

  /** `GET /images` with this query (e.g. `sort=taken_at`): the file names in the API's order. */
  async imageNames(owner: Owner, query = ""): Promise<string[]> {
    const response = await fetch(`${this.baseUrl}/api/v1/images?limit=200${query ? `&${query}` : ""}`, {
      headers: { authorization: `Bearer ${owner.token}` },
    });
    expect(response.status).toBe(200);
    const body = (await response.json()) as { items: { filename: string }[] };
    return body.items.map((item) => item.filename);
  }
}
