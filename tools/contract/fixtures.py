"""Real data for the contract run: a user, albums and an image on the live server.

Schemathesis generates path ids at random, and a random UUID only ever reaches the 404 branch.
These fixtures give the hooks (hooks.py) real ids to use as well, and a way to make fresh ones
for the operations that destroy what they are given.

    python fixtures.py BASE_URL   # prints shell assignments: TOKEN, ALBUM_ID, IMAGE_ID, ...
"""

from __future__ import annotations

import io
import secrets
import shlex
import sys

import requests
from PIL import Image

# The spec's own example account, so the examples phase signs in for real.
USERNAME = "alice"
PASSWORD = "correct horse battery"
TIMEOUT = 30


def png(width: int = 64, height: int = 48, colour: tuple[int, int, int] = (200, 60, 20)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height), colour).save(out, format="PNG")
    return out.getvalue()


class Api:
    """A signed-in user of the API at `base`."""

    def __init__(self, base: str, token: str | None = None) -> None:
        self.base = base.rstrip("/")
        self.session = requests.Session()
        self.token = token
        if token:
            self.session.headers["Authorization"] = f"Bearer {token}"

    @classmethod
    def signup(cls, base: str, name: str | None = None) -> "Api":
        name = name or f"contract_{secrets.token_hex(4)}"
        response = requests.post(
            f"{base.rstrip('/')}/api/v1/auth/register",
            json={"username": name, "email": f"{name}@example.com", "password": PASSWORD},
            timeout=TIMEOUT,
        )
        if response.status_code == 409:  # a second run against the same server
            response = requests.post(
                f"{base.rstrip('/')}/api/v1/auth/login",
                json={"username": name, "password": PASSWORD},
                timeout=TIMEOUT,
            )
        response.raise_for_status()
        body = response.json()
        api = cls(base, body["access_token"])
        api.refresh_token = body["refresh_token"]
        return api

    def create_album(self, name: str, **fields: object) -> str:
        response = self.session.post(
            f"{self.base}/api/v1/albums", json={"name": name, **fields}, timeout=TIMEOUT
        )
        response.raise_for_status()
        return response.json()["id"]

    def publish(self, album_id: str) -> None:
        response = self.session.patch(
            f"{self.base}/api/v1/albums/{album_id}", json={"visibility": "public"}, timeout=TIMEOUT
        )
        response.raise_for_status()

    def next_cursor(self, path: str) -> str:
        response = self.session.get(f"{self.base}/api/v1{path}", params={"limit": 1}, timeout=TIMEOUT)
        response.raise_for_status()
        cursor = response.json()["next_cursor"]
        assert cursor, f"{path} has a second page"
        return cursor

    def upload(self, album_id: str, name: str = "fixture.png") -> str:
        response = self.session.post(
            f"{self.base}/api/v1/albums/{album_id}/images",
            files=[("file", (name, png(), "image/png"))],
            timeout=TIMEOUT,
        )
        response.raise_for_status()
        return response.json()["images"][0]["id"]


def main() -> None:
    base = sys.argv[1]
    api = Api.signup(base, USERNAME)
    album = api.create_album("Contract album", description="made by tools/contract/fixtures.py")
    child = api.create_album("Contract child", parent_id=album)
    image = api.upload(album)
    public_album = api.create_album("Contract public album")
    api.publish(public_album)
    public_image = api.upload(public_album, "public.png")
    values = {
        "ALBUMEN_CONTRACT_TOKEN": api.token,
        "ALBUMEN_CONTRACT_REFRESH_TOKEN": api.refresh_token,
        "ALBUMEN_CONTRACT_ALBUM_IDS": f"{album},{child},{public_album}",
        "ALBUMEN_CONTRACT_IMAGE_IDS": f"{image},{public_image}",
        # Cursors are opaque and only the server can make one: these are real.
        "ALBUMEN_CONTRACT_ALBUM_CURSOR": api.next_cursor("/albums"),
        "ALBUMEN_CONTRACT_IMAGE_CURSOR": api.next_cursor("/images"),
    }
    for key, value in values.items():
        print(f"{key}={shlex.quote(value)}")


if __name__ == "__main__":
    main()
