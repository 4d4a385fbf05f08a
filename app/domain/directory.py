"""A model directory as one artifact: a manifest of relative paths → content digests.

Each file is uploaded on its own (content-addressed, so a file shared by two versions is stored
once); the manifest is canonical JSON (files sorted by path, no spaces), stored like any artifact,
so its digest names the whole directory and equal directories have equal digests. A version
registered with `format: "directory"` and the manifest's digest lists its files.
"""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass
from typing import Any

from app.domain import validation as v
from app.errors import ValidationFailed

FORMAT = "directory"
MANIFEST_FORMAT = "modelgraph.directory/1"
MAX_FILES = 10_000
MAX_PATH = 1024
PATH_RULE = (
    f"a relative path of at most {MAX_PATH} characters: '/'-separated names, none empty, '.' or '..', "
    "no backslash or control characters"
)
CONTROL = re.compile(r"[\x00-\x1f\x7f]")


@dataclass(frozen=True)
class FileEntry:
    path: str
    digest: str
    size: int

    def as_json(self) -> dict[str, Any]:
        return {"path": self.path, "digest": self.digest, "size": self.size}


def check_path(field: str, raw: Any) -> str:
    """Paths name places inside the directory only: never absolute, never climbing out."""
    if not isinstance(raw, str):
        raise v.fail(field, f"must be {PATH_RULE}")
    path = unicodedata.normalize("NFC", raw)
    parts = path.split("/")
    if (
        not path
        or len(path) > MAX_PATH
        or "\\" in path
        or CONTROL.search(path)
        or any(p in ("", ".", "..") for p in parts)
    ):
        raise v.fail(field, f"must be {PATH_RULE}")
    return path


def _size(field: str, value: Any) -> int | None:
    if value is None:
        return None
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        raise v.fail(field, "must be a whole number of bytes, zero or more")
    return value


def requested(body: dict[str, Any]) -> list[tuple[str, str, int | None]]:
    """(path, digest, declared size or None) of each file a manifest request lists."""
    files = body.get("files")
    if not isinstance(files, list) or not 1 <= len(files) <= MAX_FILES:
        raise v.fail("files", f"must list 1 to {MAX_FILES} files")
    seen: set[str] = set()
    out = []
    for index, item in enumerate(files):
        where = f"files[{index}]"
        if not isinstance(item, dict):
            raise v.fail(where, "must be an object with path, digest and optionally size")
        path = check_path(f"{where}.path", item.get("path"))
        if path in seen:
            raise v.fail(f"{where}.path", f"{path!r} is listed twice")
        seen.add(path)
        digest = v.digest(f"{where}.digest", str(item.get("digest") or ""))
        out.append((path, digest, _size(f"{where}.size", item.get("size"))))
    return out


def canonical(entries: list[FileEntry]) -> bytes:
    body = {"format": MANIFEST_FORMAT, "files": [e.as_json() for e in sorted(entries, key=lambda e: e.path)]}
    return json.dumps(body, sort_keys=True, separators=(",", ":")).encode()


def parse(field: str, data: bytes) -> list[FileEntry]:
    """The files of a stored manifest; anything else is refused naming `field`."""
    try:
        body = json.loads(data)
    except (ValueError, UnicodeDecodeError):
        body = None
    if not isinstance(body, dict) or body.get("format") != MANIFEST_FORMAT or not isinstance(body.get("files"), list):
        raise ValidationFailed(f"{field}: the stored artifact is not a directory manifest", field=field)
    return [FileEntry(str(f["path"]), str(f["digest"]), int(f["size"])) for f in body["files"]]
