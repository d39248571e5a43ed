"""Schemathesis hooks for the contract run (loaded with SCHEMATHESIS_HOOKS=hooks).

What JSON Schema cannot say, these make real, so the checks stay strict everywhere else:

- A random UUID in a path only ever reaches the 404 branch, so every `{id}` is drawn either as
  Schemathesis generated it or as one of the albums/images fixtures.py made; operations that
  destroy what they are given get a fresh album or image instead, so the fixtures last the run.
- A `parent_id` or `album_id` in a body must be one of the caller's albums (else 422), a
  `cover_image_id` an image in that album's tree (else 422), and a `cursor` must be one the
  server issued (else 400): a well-formed one is swapped for a real one (a cover for an album
  with no fixture image in its tree becomes `null`, "automatic"). Malformed ones
  (not a UUID, empty) are left alone, so the negative tests still send them.
- Login throttling would soon answer every fuzzed login with 429, so each login comes from its
  own X-Forwarded-For address (the server trusts it in this run).
- A multipart part name that is empty or has control characters, quotes or backslashes cannot
  be written as is into a well-formed Content-Disposition header; the server's 400 is right, but
  Schemathesis counts such a body as schema-valid. Those bodies are not sent.
"""

from __future__ import annotations

import itertools
import os
import uuid

import schemathesis
from hypothesis import strategies as st

from fixtures import Api

BASE_URL = os.environ["ALBUMEN_CONTRACT_URL"]
ALBUM_IDS = os.environ["ALBUMEN_CONTRACT_ALBUM_IDS"].split(",")
IMAGE_IDS = os.environ["ALBUMEN_CONTRACT_IMAGE_IDS"].split(",")
ALBUM_CURSOR = os.environ["ALBUMEN_CONTRACT_ALBUM_CURSOR"]
IMAGE_CURSOR = os.environ["ALBUMEN_CONTRACT_IMAGE_CURSOR"]
FIXTURES = set(ALBUM_IDS) | set(IMAGE_IDS)
# The fixture image in each album's tree: the first album holds the first image, the public
# album the public one; the first album's child holds none.
COVERS = {ALBUM_IDS[0]: IMAGE_IDS[0], ALBUM_IDS[2]: IMAGE_IDS[1]}
API = Api(BASE_URL, os.environ["ALBUMEN_CONTRACT_TOKEN"])


def _is_image_path(path: str) -> bool:
    return path.startswith("/api/v1/images/")


def _is_uuid(value: object) -> bool:
    try:
        uuid.UUID(str(value))
    except ValueError:
        return False
    return isinstance(value, str)


def _header_safe(name: object) -> bool:
    """Whether `name` can be written as `name="..."` in a Content-Disposition header as is."""
    return (
        isinstance(name, str)
        and name != ""
        and not any(ord(c) < 0x20 or 0x7F <= ord(c) < 0xA0 or c in '"\\' for c in name)
    )


@schemathesis.hook
def flatmap_path_parameters(context, path_parameters):
    # Only a well-formed id is swapped: a malformed one is a negative test, and stays one.
    if not path_parameters or not _is_uuid(path_parameters.get("id")):
        return st.just(path_parameters)
    real = IMAGE_IDS if _is_image_path(context.operation.path) else ALBUM_IDS
    return st.one_of(
        st.just(path_parameters),
        st.sampled_from(real).map(lambda id_: {**path_parameters, "id": id_}),
    )


@schemathesis.hook
def filter_body(context, body):
    if context.operation is None or context.operation.label != "POST /api/v1/albums/{id}/images":
        return True
    parts = getattr(body, "body", body)  # multipart bodies come wrapped with their content types
    return not isinstance(parts, dict) or all(_header_safe(name) for name in parts)


@schemathesis.hook
def before_call(context, case, kwargs):
    method = case.method.upper()
    params = case.path_parameters or {}
    if method == "DELETE" and params.get("id") in FIXTURES:
        if _is_image_path(case.path):
            params["id"] = API.upload(ALBUM_IDS[0], "to-delete.png")
        else:
            params["id"] = API.create_album("To delete")

    if isinstance(case.body, dict):
        for field in ("parent_id", "album_id"):
            if _is_uuid(case.body.get(field)):
                case.body[field] = ALBUM_IDS[int(uuid.UUID(case.body[field])) % len(ALBUM_IDS)]
        if _is_uuid(case.body.get("cover_image_id")):
            case.body["cover_image_id"] = COVERS.get(params.get("id"))

    query = case.query
    if isinstance(query, dict) and isinstance(query.get("cursor"), str) and query["cursor"]:
        query["cursor"] = ALBUM_CURSOR if case.path == "/api/v1/albums" else IMAGE_CURSOR

    # 100 failures from one address block it for 15 minutes; throttling has its own tests.
    if case.path == "/api/v1/auth/login":
        case.headers = {**(case.headers or {}), "X-Forwarded-For": f"198.18.{_next_address()}"}


_logins = itertools.count()


def _next_address() -> str:
    n = next(_logins) % 65_000 + 1  # 198.18.0.0/15 is for benchmarking: never a real client
    return f"{n >> 8}.{n & 0xFF}"
