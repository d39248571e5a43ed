"""The generated Python SDK, used as a person would: sign up, make an album, upload two photos at
once, list them, download a variant, delete one, and find it gone; download an album as a ZIP,
delete it to the trash and restore it."""

from __future__ import annotations

import hashlib
import io
import secrets
import zipfile

import httpx
import pytest
from albumen_client import AuthenticatedClient, Client
from albumen_client.api.albums import create_album, delete_album, download_album, get_album
from albumen_client.api.auth import login, register
from albumen_client.api.images import (
    delete_image,
    get_image,
    get_image_content,
    list_album_images,
    upload_images,
)
from albumen_client.api.trash import list_trash, restore_trash
from albumen_client.api.users import get_current_user
from albumen_client.models import (
    Album,
    AlbumCreate,
    ImagePage,
    LoginRequest,
    Problem,
    RestoreRequest,
    RegisterRequest,
    Size,
    TokenResponse,
    TrashPage,
    UploadImagesBody,
    UploadResult,
    User,
)
from albumen_client.types import File
from PIL import Image

PASSWORD = "correct horse battery"


def photo(fmt: str, size: tuple[int, int], colour: tuple[int, int, int]) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, colour).save(out, format=fmt)
    return out.getvalue()


@pytest.fixture
def me(base_url: str) -> AuthenticatedClient:
    """A new account, signed in."""
    name = f"sdk_{secrets.token_hex(4)}"
    anonymous = Client(base_url=base_url, raise_on_unexpected_status=True)
    tokens = register.sync(
        client=anonymous,
        body=RegisterRequest(username=name, email=f"{name}@example.com", password=PASSWORD),
    )
    assert isinstance(tokens, TokenResponse), tokens
    assert tokens.token_type == "Bearer"
    assert tokens.user.username == name
    return AuthenticatedClient(
        base_url=base_url, token=tokens.access_token, raise_on_unexpected_status=True
    )


def test_sign_in_with_the_password_and_see_who_i_am(base_url: str, me: AuthenticatedClient) -> None:
    user = get_current_user.sync(client=me)
    assert isinstance(user, User)
    anonymous = Client(base_url=base_url, raise_on_unexpected_status=True)
    tokens = login.sync(client=anonymous, body=LoginRequest(username=user.email, password=PASSWORD))
    assert isinstance(tokens, TokenResponse)
    assert tokens.user.id == user.id
    wrong = login.sync_detailed(
        client=anonymous, body=LoginRequest(username=user.username, password="not the password")
    )
    assert wrong.status_code == 401
    assert isinstance(wrong.parsed, Problem)


def test_upload_list_download_and_delete_photos(base_url: str, me: AuthenticatedClient) -> None:
    album = create_album.sync(client=me, body=AlbumCreate(name="Holidays", description="By the sea"))
    assert isinstance(album, Album)
    assert album.image_count == 0 and album.cover is None

    beach = photo("JPEG", (1600, 1200), (30, 120, 200))
    sunset = photo("PNG", (120, 80), (250, 120, 40))
    uploaded = upload_images.sync(
        album.id,
        client=me,
        body=UploadImagesBody(
            file=[
                File(payload=io.BytesIO(beach), file_name="beach.jpg", mime_type="image/jpeg"),
                File(payload=io.BytesIO(sunset), file_name="sunset.png", mime_type="image/png"),
            ]
        ),
    )
    assert isinstance(uploaded, UploadResult), uploaded
    assert uploaded.rejected == []
    by_name = {image.filename: image for image in uploaded.images}
    assert sorted(by_name) == ["beach.jpg", "sunset.png"]
    big = by_name["beach.jpg"]
    assert (big.width, big.height, big.bytes_) == (1600, 1200, len(beach))
    assert (big.variants.small.width, big.variants.small.height) == (640, 480)

    page = list_album_images.sync(album.id, client=me)
    assert isinstance(page, ImagePage)
    assert {image.id for image in page.items} == {image.id for image in uploaded.images}
    assert page.next_cursor is None

    # A variant through the SDK (with the token)...
    small = get_image_content.sync_detailed(big.id, Size.SMALL, client=me)
    assert small.status_code == 200
    assert small.headers["content-type"] == "image/jpeg"
    assert isinstance(small.parsed, File)
    small_bytes = small.parsed.payload.read()
    assert len(small_bytes) == big.variants.small.bytes_
    with Image.open(io.BytesIO(small_bytes)) as decoded:
        assert decoded.format == "JPEG"
        assert decoded.size == (640, 480)
    # ...and its signed URL, as an <img> tag would fetch it: no header at all.
    signed = httpx.get(big.variants.small.url)
    assert signed.status_code == 200
    assert signed.content == small_bytes
    original = get_image_content.sync_detailed(big.id, Size.ORIGINAL, client=me)
    assert isinstance(original.parsed, File)
    assert original.parsed.payload.read() == beach

    deleted = delete_image.sync_detailed(big.id, client=me)
    assert deleted.status_code == 204
    gone = get_image.sync_detailed(big.id, client=me)
    assert gone.status_code == 404
    assert isinstance(gone.parsed, Problem) and gone.parsed.status == 404
    assert get_image_content.sync_detailed(big.id, Size.SMALL, client=me).status_code == 404
    assert httpx.get(big.variants.small.url).status_code == 404
    remaining = list_album_images.sync(album.id, client=me)
    assert isinstance(remaining, ImagePage)
    assert [image.id for image in remaining.items] == [by_name["sunset.png"].id]


def test_download_an_album_as_a_zip_then_trash_and_restore_it(base_url: str, me: AuthenticatedClient) -> None:
    album = create_album.sync(client=me, body=AlbumCreate(name="Été"))
    assert isinstance(album, Album)
    beach = photo("JPEG", (200, 150), (30, 120, 200))
    uploaded = upload_images.sync(
        album.id,
        client=me,
        body=UploadImagesBody(
            file=[
                File(payload=io.BytesIO(beach), file_name="beach.jpg", mime_type="image/jpeg"),
                File(payload=io.BytesIO(beach), file_name="beach.jpg", mime_type="image/jpeg"),
            ]
        ),
    )
    assert isinstance(uploaded, UploadResult) and len(uploaded.images) == 2

    archive = download_album.sync_detailed(album.id, client=me)
    assert archive.status_code == 200
    assert "filename*=UTF-8''%C3%89t%C3%A9.zip" in archive.headers["content-disposition"]
    assert isinstance(archive.parsed, File)
    with zipfile.ZipFile(io.BytesIO(archive.parsed.payload.read())) as z:
        assert z.testzip() is None
        files = {i.filename: hashlib.sha256(z.read(i)).hexdigest() for i in z.infolist() if not i.is_dir()}
    digest = hashlib.sha256(beach).hexdigest()
    assert files == {"Été/beach.jpg": digest, "Été/beach (2).jpg": digest}

    assert delete_album.sync_detailed(album.id, client=me).status_code == 204
    assert get_album.sync_detailed(album.id, client=me).status_code == 404
    trash = list_trash.sync(client=me)
    assert isinstance(trash, TrashPage)
    assert [(item.id, item.images) for item in trash.items] == [(album.id, 2)]
    restored = restore_trash.sync(client=me, body=RestoreRequest(ids=[album.id]))
    assert restored is not None and not isinstance(restored, Problem)
    assert restored.restored == [album.id] and restored.failed == []
    back = get_album.sync(album.id, client=me)
    assert isinstance(back, Album) and back.image_count == 2
