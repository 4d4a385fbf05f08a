"""The typed record of any node the API shows, by its kind: the union of the aggregates' records
(app/graph/run_records.py, model_records.py, dataset_records.py) and one decoder per kind. Above
app/graph a field is an attribute."""

from __future__ import annotations

from collections.abc import Callable

from app.graph.dataset_records import DatasetVersion, Feature
from app.graph.model_records import Evaluation, Model, ModelVersion
from app.graph.props import Props
from app.graph.run_records import Experiment, Project, Run

Record = Project | Experiment | DatasetVersion | Feature | Run | ModelVersion | Model | Evaluation
DECODERS: dict[str, Callable[[Props], Record]] = {
    cls.kind: cls.of for cls in (Project, Experiment, DatasetVersion, Feature, Run, ModelVersion, Model, Evaluation)
}


def record_of(kind: str, props: Props) -> Record | None:
    """The typed record of a stored node (None for a kind the API shows no type for)."""
    decode = DECODERS.get(kind)
    return None if decode is None else decode(props)
