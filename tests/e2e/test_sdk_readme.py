"""The README's notebook example, exactly as written there, against the test stack: a scikit-learn
model trained on iris is logged, registered, promoted and loaded back by alias."""

from __future__ import annotations

import contextlib
import io
import os
import re
from pathlib import Path

import pytest

from app.config import Settings
from app.services import Services
from modelgraph.client import ModelGraph

pytestmark = [pytest.mark.e2e, pytest.mark.integration, pytest.mark.usefixtures("always_working_hours")]

README = Path(__file__).resolve().parents[2] / "README.md"


def sdk_example() -> str:
    found = re.search(r"<!-- sdk-example -->\n```python\n(.*?)```", README.read_text(encoding="utf-8"), re.S)
    assert found, "the README lost its SDK example"
    return found.group(1)


async def test_the_readme_sdk_example_runs(
    live_server: str, settings: Settings, clean_graph: Services, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    token = settings.bootstrap_admin_key.get_secret_value()
    monkeypatch.setenv("MODELGRAPH_API_URL", live_server)
    monkeypatch.setenv("MODELGRAPH_TOKEN", token)
    monkeypatch.chdir(tmp_path)
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        exec(compile(sdk_example(), "README.md", "exec"), {"__name__": "readme"})  # noqa: S102
    accuracy = float(printed.getvalue().split("production model accuracy:")[1])
    assert accuracy > 0.7
    assert sorted(os.listdir(tmp_path)) == ["iris-classifier-v1", "iris.pkl"]
    with ModelGraph(live_server, token) as mg:
        version = mg.version("iris-classifier", alias="production")
        assert version.version == 1
        losses = list(mg.metric_history(version.run.id, "log_loss"))
        assert [p.step for p in losses] == list(range(20))
        assert {m.name for m in mg.run(version.run.id).metrics} == {"log_loss", "f1"}
