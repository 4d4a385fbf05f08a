"""Artifact format 2: streamed, chunk by chunk, never whole in memory.

The bytes are cut into CHUNK_SIZE pieces, each sealed with AES-256-GCM under its own random nonce;
the associated data binds every chunk to its file (a random file id), its position and whether it
is the last one, so chunks cannot be reordered, swapped between files, dropped or cut short
without the read failing. The sealed chunks are one object (`blobs/chunked/<file id>`); what
addresses them is a small manifest stored under the content key (`blobs/sha256/..`), sealed with
the digest as associated data like format 1, so a manifest copied over another digest's key fails.

    data object  = chunk*          chunk    = nonce(12) || ciphertext || tag(16)
    manifest key = MAGIC || nonce(12) || AES-GCM({"format": 2, "data", "file_id", "chunk_size",
                                                  "chunks", "size"}, aad = MAGIC || digest)

Format 1 (one object: nonce || AES-GCM(whole bytes, aad = digest)) is still read; see store.py.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterator
from dataclasses import dataclass

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from app.errors import IntegrityError

MAGIC = b"MGA2"
NONCE = 12
TAG = 16
CHUNK_SIZE = 1024 * 1024
SEALED_CHUNK = NONCE + CHUNK_SIZE + TAG


def _aad(file_id: bytes, index: int, last: bool) -> bytes:
    return MAGIC + file_id + index.to_bytes(8, "big") + (b"\x01" if last else b"\x00")


@dataclass(frozen=True)
class Manifest:
    data_key: str
    file_id: bytes
    chunk_size: int
    chunks: int
    size: int

    def seal(self, aead: AESGCM, digest: str) -> bytes:
        body = {
            "format": 2,
            "data": self.data_key,
            "file_id": self.file_id.hex(),
            "chunk_size": self.chunk_size,
            "chunks": self.chunks,
            "size": self.size,
        }
        nonce = os.urandom(NONCE)
        return MAGIC + nonce + aead.encrypt(nonce, json.dumps(body).encode(), MAGIC + digest.encode())

    @classmethod
    def open(cls, aead: AESGCM, digest: str, blob: bytes) -> Manifest:
        """Raises IntegrityError when the manifest was altered or belongs to another digest."""
        nonce = blob[len(MAGIC) : len(MAGIC) + NONCE]
        try:
            body = json.loads(aead.decrypt(nonce, blob[len(MAGIC) + NONCE :], MAGIC + digest.encode()))
        except (InvalidTag, ValueError):
            raise IntegrityError(f"artifact {digest} failed authentication: stored bytes were altered") from None
        return cls(
            data_key=str(body["data"]),
            file_id=bytes.fromhex(body["file_id"]),
            chunk_size=int(body["chunk_size"]),
            chunks=int(body["chunks"]),
            size=int(body["size"]),
        )


def is_manifest(blob: bytes) -> bool:
    return blob.startswith(MAGIC)


class Sealer:
    """Plaintext in (any piece sizes), sealed chunks out; the digest and size as it goes.
    Holds at most one chunk of plaintext: a chunk is sealed once the next byte (or the end) shows
    whether it is the last."""

    def __init__(self, aead: AESGCM, chunk_size: int = CHUNK_SIZE) -> None:
        self._aead = aead
        self.file_id = os.urandom(16)
        self.chunk_size = chunk_size
        self._pending = bytearray()
        self._hash = hashlib.sha256()
        self.size = 0
        self.chunks = 0

    def feed(self, data: bytes) -> Iterator[bytes]:
        self._hash.update(data)
        self.size += len(data)
        self._pending += data
        while len(self._pending) > self.chunk_size:
            piece = bytes(self._pending[: self.chunk_size])
            del self._pending[: self.chunk_size]
            yield self._seal(piece, last=False)

    def finish(self) -> bytes:
        """The last chunk (possibly empty, so an empty artifact still has one authenticated chunk)."""
        piece = bytes(self._pending)
        self._pending.clear()
        return self._seal(piece, last=True)

    @property
    def digest(self) -> str:
        return "sha256:" + self._hash.hexdigest()

    def manifest(self, data_key: str) -> Manifest:
        return Manifest(data_key, self.file_id, self.chunk_size, self.chunks, self.size)

    def _seal(self, piece: bytes, *, last: bool) -> bytes:
        nonce = os.urandom(NONCE)
        sealed = nonce + self._aead.encrypt(nonce, piece, _aad(self.file_id, self.chunks, last))
        self.chunks += 1
        return sealed


class Opener:
    """Sealed bytes in (any piece sizes, as they come from the object store), verified plaintext
    out; `close()` checks that nothing is missing and that the whole matches the digest."""

    def __init__(self, aead: AESGCM, manifest: Manifest, digest: str) -> None:
        self._aead = aead
        self._m = manifest
        self._digest = digest
        self._buffer = bytearray()
        self._index = 0
        self._hash = hashlib.sha256()
        self._size = 0

    def feed(self, data: bytes) -> Iterator[bytes]:
        self._buffer += data
        sealed = NONCE + self._m.chunk_size + TAG
        while len(self._buffer) >= sealed and self._index < self._m.chunks - 1:
            piece = bytes(self._buffer[:sealed])
            del self._buffer[:sealed]
            yield self._open(piece, last=False)

    def close(self) -> bytes:
        """The last chunk, then the whole-file checks."""
        if self._index != self._m.chunks - 1 or not self._buffer:
            raise IntegrityError(f"artifact {self._digest} is incomplete: chunks are missing")
        last = self._open(bytes(self._buffer), last=True)
        self._buffer.clear()
        if self._size != self._m.size or "sha256:" + self._hash.hexdigest() != self._digest:
            raise IntegrityError(f"artifact {self._digest} does not match its digest")
        return last

    def _open(self, piece: bytes, *, last: bool) -> bytes:
        try:
            plain = self._aead.decrypt(piece[:NONCE], piece[NONCE:], _aad(self._m.file_id, self._index, last))
        except (InvalidTag, ValueError):
            raise IntegrityError(f"artifact {self._digest} failed authentication: stored bytes were altered") from None
        self._index += 1
        self._hash.update(plain)
        self._size += len(plain)
        return plain
