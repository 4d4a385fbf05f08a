"""Artifact bytes on the client side: a local digest before upload (streamed from disk in chunks, never
the whole file in memory) and downloads written to a temporary file, verified, then moved into place."""

from __future__ import annotations

import hashlib
import os
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from modelgraph.client.errors import IntegrityError

CHUNK = 1024 * 1024


@dataclass(frozen=True)
class Body:
    """What to upload: a file (streamed) or bytes, with its digest and size computed locally."""

    digest: str
    size: int
    path: Path | None = None
    data: bytes | None = None

    def chunks(self) -> Iterator[bytes]:
        if self.data is not None:
            yield self.data
            return
        assert self.path is not None
        with self.path.open("rb") as handle:
            while chunk := handle.read(CHUNK):
                yield chunk


def body_of(source: str | os.PathLike[str] | bytes) -> Body:
    if isinstance(source, bytes):
        return Body("sha256:" + hashlib.sha256(source).hexdigest(), len(source), data=source)
    path = Path(source)
    digest = hashlib.sha256()
    size = 0
    with path.open("rb") as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
            size += len(chunk)
    return Body("sha256:" + digest.hexdigest(), size, path=path)


class VerifiedWriter:
    """Collects downloaded chunks into a temporary file beside `dest`; `commit` checks the digest and
    renames, so `dest` is never a partial or wrong file."""

    def __init__(self, dest: Path, expected: str) -> None:
        dest.parent.mkdir(parents=True, exist_ok=True)
        self.dest = dest
        self.expected = expected
        self.hash = hashlib.sha256()
        fd, name = tempfile.mkstemp(prefix=".modelgraph-", dir=dest.parent)
        self.tmp = Path(name)
        self.handle = os.fdopen(fd, "wb")

    def write(self, chunk: bytes) -> None:
        self.hash.update(chunk)
        self.handle.write(chunk)

    def commit(self) -> Path:
        self.handle.close()
        got = "sha256:" + self.hash.hexdigest()
        if got != self.expected:
            self.tmp.unlink(missing_ok=True)
            raise IntegrityError(f"downloaded bytes have digest {got}, expected {self.expected}; nothing was written")
        os.replace(self.tmp, self.dest)
        return self.dest

    def abort(self) -> None:
        self.handle.close()
        self.tmp.unlink(missing_ok=True)
