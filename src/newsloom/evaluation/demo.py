"""End-to-end evaluation on the bundled demo corpus against its hand-written gold labels.

The whole pipeline runs (ingest through claims) into a temporary store, then each article is matched to its gold
record by origin (path relative to the demo folder, ``file.jsonl:LINE``, ``feed.xml#N``). Pairwise metrics:
two articles are "together" when they share an event (or a story); precision and recall are over article pairs.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import tempfile
from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from ..config import Settings
from ..models import Article, Event, Rejected
from .metrics import pairwise

if TYPE_CHECKING:
    from ..stages.cluster import Clusterer
    from ..stages.embed import Embedder
    from ..stages.similarity import SimilarityModel

DEMO = Path(__file__).resolve().parents[1] / "data" / "demo"
GOLD = Path(__file__).resolve().parents[1] / "data" / "demo_gold"


def relative_origin(origin: str, root: Path = DEMO) -> str:
    """Origin as the gold files name it: ``/.../demo/feed.xml#2`` -> ``feed.xml#2``."""
    prefix = str(root) + "/"
    return origin[len(prefix) :] if origin.startswith(prefix) else origin


def _accuracy(hits: int, total: int) -> float:
    return round(hits / total, 4) if total else 1.0


class DemoRunner(Protocol):
    """What the demo evaluation needs of a tracker (``newsloom.Tracker``; passed in, so evaluation does not
    import the facade that calls it)."""

    def __enter__(self) -> DemoRunner: ...

    def __exit__(self, *exc: object) -> None: ...

    def demo(self) -> IngestResult: ...

    def articles(self) -> list[Article]: ...

    def events(self) -> list[Event]: ...


class IngestResult(Protocol):
    @property
    def rejected(self) -> tuple[Any, ...]: ...


def evaluate_demo(
    settings: Settings | None, open_tracker: Callable[[Settings], DemoRunner]
) -> dict[str, Any]:
    """Run the pipeline on the demo corpus and score languages, dates, duplicates, events and stories.

    ``open_tracker`` builds a tracker from settings: ``evaluate_demo(None, Tracker)``.
    """
    gold = json.loads((GOLD / "events.json").read_text(encoding="utf-8"))
    with tempfile.TemporaryDirectory() as tmp:
        base = settings or Settings()
        run_settings = Settings(**{**base.__dict__, "db": str(Path(tmp) / "demo.db"), "analyze": True})
        with open_tracker(run_settings) as tracker:
            report = tracker.demo()
            articles = {relative_origin(a.origin): a for a in tracker.articles()}
            events = {e.id: e for e in tracker.events()}
    return score_against_gold(
        articles, {k: v.story_id for k, v in events.items()}, gold, len(report.rejected)
    )


def score_against_gold(
    articles: Mapping[str, Article],
    story_of_event: Mapping[str, str | None],
    gold: Mapping[str, Any],
    rejected: int,
) -> dict[str, Any]:
    """Scores of pipeline output (articles by relative origin) against the demo gold records."""
    records: Mapping[str, Any] = gold["articles"]
    common = [o for o in records if o in articles]
    languages = sum(articles[o].language == records[o]["language"] for o in common)
    dated = [o for o in common if records[o]["published"]]
    dates = sum(str(articles[o].published.value) == records[o]["published"] for o in dated)
    id_of = {o: articles[o].id for o in common}
    dup_pred = {o for o in common if articles[o].duplicate_of}
    dup_gold = {o for o in common if records[o]["duplicate_of"]}
    dup_right = sum(
        articles[o].duplicate_of == id_of.get(records[o]["duplicate_of"]) for o in dup_pred & dup_gold
    )
    events_pred = {o: articles[o].event_id for o in common}
    events_gold = {o: records[o]["event"] for o in common}
    stories_pred = {o: story_of_event.get(articles[o].event_id or "") for o in common}
    stories_gold = {o: gold["events"][records[o]["event"]]["story"] for o in common}
    return {
        "articles": len(articles),
        "gold_articles": len(records),
        "missing": sorted(set(records) - set(articles)),
        "rejected": rejected,
        "language_accuracy": _accuracy(languages, len(common)),
        "published_accuracy": _accuracy(dates, len(dated)),
        "duplicates": {
            "precision": _accuracy(dup_right, len(dup_pred)),
            "recall": _accuracy(dup_right, len(dup_gold)),
        },
        "events": pairwise(events_pred, events_gold),
        "events_found": len({e for e in events_pred.values() if e}),
        "gold_events": len(set(events_gold.values())),
        "stories": pairwise(stories_pred, stories_gold),
    }


def format_demo_report(report: Mapping[str, Any]) -> str:
    """Plain-text summary of :func:`evaluate_demo`."""
    e, s, d = report["events"], report["stories"], report["duplicates"]
    return "\n".join(
        [
            f"articles: {report['articles']} of {report['gold_articles']} gold (rejected {report['rejected']})",
            f"language accuracy: {report['language_accuracy']:.3f}",
            f"publication date accuracy: {report['published_accuracy']:.3f}",
            f"duplicates: precision {d['precision']:.3f} recall {d['recall']:.3f}",
            f"events: {report['events_found']} found for {report['gold_events']} gold; pairwise "
            f"P {e['precision']:.3f} R {e['recall']:.3f} F1 {e['f1']:.3f}",
            f"stories: pairwise P {s['precision']:.3f} R {s['recall']:.3f} F1 {s['f1']:.3f}",
        ]
    )


@dataclass(frozen=True)
class EventsStageRun:
    """The events stage alone on the demo corpus (no entities: capitalised tokens stand in), fed in date order."""

    articles: tuple[Article, ...]
    clusterer: Clusterer
    gold_event: dict[str, str]
    stories: dict[str, str]
    story_truth: dict[str, str]


def events_stage_on_demo(embedder: Embedder, event_model: SimilarityModel | None = None) -> EventsStageRun:
    """Per-article pipeline, dedup, embedding, clustering and story linking over the demo corpus.

    Articles go in by publication date, undated last, as a backfill would (the clusterer's archive serves late
    ones); each event's gold story is the story of its majority gold event (an event outside any story is its
    own).
    """
    from ..pipeline import Pipeline
    from ..stages.cluster import Clusterer
    from ..stages.dedup import Deduper
    from ..stages.embed import embed_articles
    from ..stages.ingest import read_inputs
    from ..stages.similarity import make_signal
    from ..stages.stories import link_stories, profiles_for

    gold = json.loads((GOLD / "events.json").read_text(encoding="utf-8"))
    pipe = Pipeline(Settings(), today=dt.date(2025, 6, 1))
    articles = [a for d in read_inputs([str(DEMO)]) if not isinstance(d, Rejected)
                for a in [pipe.process(d)] if isinstance(a, Article)]  # fmt: skip
    articles.sort(key=lambda a: (a.published.value or dt.date.max, a.origin))
    deduper = Deduper()
    articles = [dataclasses.replace(a, duplicate_of=deduper.add(a.id, a.body)) for a in articles]
    vectors = embed_articles(embedder, articles)
    signals = {a.id: make_signal(a, v) for a, v in zip(articles, vectors, strict=True)}
    clusterer = Clusterer(model=event_model)
    for article in articles:
        clusterer.assign(signals[article.id])
    gold_event = {a.id: gold["articles"][relative_origin(a.origin)]["event"] for a in articles}
    stories = link_stories(profiles_for(clusterer.members(), signals))
    truth = {}
    for event_id, members in clusterer.members().items():
        label = Counter(gold_event[m] for m in members).most_common(1)[0][0]
        truth[event_id] = str(gold["events"][label]["story"] or label)
    return EventsStageRun(tuple(articles), clusterer, gold_event, stories, truth)
