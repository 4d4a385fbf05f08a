"""Model directories as one artifact: path rules and the canonical manifest (app/domain/directory.py)."""

from __future__ import annotations

import pytest

from app.domain import directory
from app.errors import ValidationFailed

A, B = "sha256:" + "a" * 64, "sha256:" + "b" * 64


@pytest.mark.parametrize(
    "path", ["/etc/passwd", "../up", "a/../../b", "a//b", "a/./b", "a\\b", "", "tab\there", "x/" * 600, "a/"]
)
def test_paths_never_leave_the_directory(path: str) -> None:
    with pytest.raises(ValidationFailed) as caught:
        directory.check_path("files[0].path", path)
    assert caught.value.field == "files[0].path" and "a relative path" in caught.value.message


def test_ordinary_paths_are_kept_as_given() -> None:
    assert directory.check_path("p", "tokenizer/vocab.json") == "tokenizer/vocab.json"
    assert directory.check_path("p", ".hidden/config") == ".hidden/config"


def test_a_request_lists_unique_paths_with_digests() -> None:
    files = directory.requested({"files": [{"path": "b.bin", "digest": B, "size": 2}, {"path": "a.json", "digest": A}]})
    assert files == [("b.bin", B, 2), ("a.json", A, None)]
    with pytest.raises(ValidationFailed, match="listed twice"):
        directory.requested({"files": [{"path": "a", "digest": A}, {"path": "a", "digest": B}]})
    with pytest.raises(ValidationFailed) as caught:
        directory.requested({"files": [{"path": "a", "digest": "md5:x"}]})
    assert caught.value.field == "files[0].digest"
    with pytest.raises(ValidationFailed, match="must list 1 to"):
        directory.requested({"files": []})


def test_the_manifest_is_canonical_so_equal_directories_have_one_digest() -> None:
    one = [directory.FileEntry("b.bin", B, 2), directory.FileEntry("a.json", A, 1)]
    two = list(reversed(one))
    assert directory.canonical(one) == directory.canonical(two)
    assert directory.parse("d", directory.canonical(one)) == sorted(one, key=lambda e: e.path)
    with pytest.raises(ValidationFailed, match="not a directory manifest"):
        directory.parse("artifact.digest", b"\x00weights")
