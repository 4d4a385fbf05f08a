"""Reading annotations back: the notes people attach to points in history (the `annotate`
mutation writes them). Loaded per request in one batch for every point of a page; the text is
free prose, classified (app/domain/classification.py) and read through the disclosure gate."""

from __future__ import annotations

import enum
from datetime import datetime

import strawberry
from strawberry.dataloader import DataLoader

from app.domain.classification import FIELD_CLASSES
from app.graph.history_reads import HistoryReader
from app.graph.history_records import Annotation as Note
from app.graphql.context import Info
from app.graphql.disclosure import NOBODY, gate

TEXT_CLASS = FIELD_CLASSES[("Annotation", "text")]


@strawberry.enum(description="What kind of thing an annotation is about.")
class AnnotationTargetKind(enum.Enum):
    EVALUATION = "Evaluation"
    MODEL_VERSION = "ModelVersion"
    DEPLOYMENT = "Deployment"
    DEPLOYMENT_EVENT = "DeploymentEvent"
    HEALTH_WINDOW = "HealthWindow"


@strawberry.type(description="A note someone attached to a point in history (an evaluation, version, deployment, ...).")
class Annotation:
    note: strawberry.Private[Note]

    @strawberry.field(description="Annotation id.")
    def id(self) -> strawberry.ID:
        return strawberry.ID(self.note.id)

    @strawberry.field(
        description=f"The note. Classified {TEXT_CLASS}: reads [redacted: {TEXT_CLASS}] unless policy discloses it."
    )
    async def text(self, info: Info) -> str:
        return str(await gate(info).value(self.note.id, "text", TEXT_CLASS, self.note.text, NOBODY))

    @strawberry.field(description="Who wrote it (the principal's name).")
    def author(self) -> str:
        return self.note.actor

    @strawberry.field(description="When it was written (UTC).")
    def created_at(self) -> datetime | None:
        return self.note.created_at

    @strawberry.field(description="Id of the thing annotated.")
    def target_id(self) -> strawberry.ID:
        return strawberry.ID(self.note.about_id)

    @strawberry.field(description="Kind of the thing annotated.")
    def target_kind(self) -> AnnotationTargetKind:
        return AnnotationTargetKind(self.note.about_kind)


def annotations_loader(info: Info) -> DataLoader[str, list[Note]]:
    """Annotations by target id: one query for every point or version of a response."""
    loaders = info.context.loaders
    if "annotations" not in loaders:
        services = info.context.services
        reader = HistoryReader(services.driver, services.settings.neo4j_database)
        loaders["annotations"] = DataLoader(load_fn=reader.annotations)
    loader: DataLoader[str, list[Note]] = loaders["annotations"]
    return loader


async def annotations_of(info: Info, target_id: str) -> list[Annotation]:
    """The notes about one target, oldest first."""
    return [Annotation(note=n) for n in await annotations_loader(info).load(target_id)]
