"""``newsloom eval``: one entry point for the evaluation suites, each reporting baselines from the same run."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..config import Settings
from ..errors import InputError

if TYPE_CHECKING:
    from .demo import DemoRunner

SHARED_DATA = Path("..") / "shared" / "data"


def _existing(path: str | None, default: Path, what: str) -> Path:
    chosen = Path(path) if path else default
    if not chosen.exists():
        raise InputError(f"{chosen}: {what} not found; give its path")
    return chosen


def run_suite(
    suite: str,
    *,
    settings: Settings,
    pairs: str | None = None,
    data: str | None = None,
    topics: str | None = None,
    open_tracker: Callable[[Settings], DemoRunner] | None = None,
) -> tuple[dict[str, Any], str]:
    """Run ``semeval``, ``events``, ``timeline``, ``demo``, ``slavicner``, ``quotes`` or ``digest``; returns the report and a
    plain-text table of it. For ``slavicner`` and ``quotes`` the ``topics`` argument names the split (default
    ``dev``), for ``events`` the SemEval split (default ``test``)."""
    from ..stages.embed import E5Embedder

    if suite == "semeval":
        from .semeval import evaluate_semeval, format_report

        path = _existing(pairs, SHARED_DATA / "semeval2022_task8" / "pairs_dev.jsonl", "SemEval pairs file")
        report = evaluate_semeval(path, E5Embedder(threads=settings.embed_threads))
        return report, format_report(report)
    if suite == "events":
        from .events import evaluate_events, format_events_report

        split = topics or "test"
        default = SHARED_DATA / "semeval2022_task8" / f"pairs_{split}.jsonl"
        path = _existing(pairs, default, "SemEval pairs file")
        report = evaluate_events(path, E5Embedder(threads=settings.embed_threads))
        return report, format_events_report(report)
    if suite == "timeline":
        from .timeline import DEV_TOPICS, evaluate_timeline, format_timeline_report

        folder = _existing(data, SHARED_DATA / "ml_crisis", "ML-Crisis folder")
        chosen = tuple(t.strip() for t in topics.split(",")) if topics else DEV_TOPICS
        report = evaluate_timeline(folder, chosen, E5Embedder(threads=settings.embed_threads))
        return report, format_timeline_report(report)
    if suite == "demo":
        from .demo import evaluate_demo, format_demo_report

        if open_tracker is None:
            raise InputError("the demo suite runs the pipeline: give open_tracker (newsloom.Tracker)")
        report = evaluate_demo(settings, open_tracker)
        return report, format_demo_report(report)
    if suite == "slavicner":
        from .slavicner import evaluate_slavicner, format_slavicner_report

        folder = _existing(data, SHARED_DATA / "slavicner", "SlavicNER folder")
        try:
            report = evaluate_slavicner(folder, topics or "dev")
        except (ValueError, FileNotFoundError) as exc:
            raise InputError(str(exc)) from exc
        return report, format_slavicner_report(report)
    if suite == "quotes":
        from .quotes_de import evaluate_quotes_de, format_quotes_de_report

        folder = _existing(data, SHARED_DATA / "wikinews_quotes_de", "wikinews_quotes_de folder")
        try:
            report = evaluate_quotes_de(folder, topics or "dev")
        except (ValueError, FileNotFoundError) as exc:
            raise InputError(str(exc)) from exc
        text = format_quotes_de_report(report)
        cs_ru = folder.parent / "quotes_cs_ru"
        if cs_ru.exists():  # report only: two more languages, one Cyrillic, never tuned on
            from .quotes_cs_ru import evaluate_quotes_cs_ru, format_quotes_cs_ru_report

            report["quotes_cs_ru"] = evaluate_quotes_cs_ru(cs_ru)
            text += "\n\n" + format_quotes_cs_ru_report(report["quotes_cs_ru"])
        pairs_test = folder.parent / "semeval2022_task8" / "pairs_test.jsonl"
        if pairs_test.exists():  # hand-annotated quotes in 7 languages, 2 scripts (test split, report only)
            from .quotes_semeval import evaluate_quotes_semeval, format_quotes_semeval_report

            report["semeval_quotes"] = evaluate_quotes_semeval(pairs_test)
            text += "\n\n" + format_quotes_semeval_report(report["semeval_quotes"])
        return report, text
    if suite == "digest":
        return _digest_suite(settings, data, topics)
    raise InputError(
        f"unknown evaluation suite {suite!r}; choose semeval, events, timeline, demo, slavicner, quotes or digest"
    )


def _digest_suite(settings: Settings, data: str | None, topics: str | None) -> tuple[dict[str, Any], str]:
    """Event-type accuracy on the packaged hand labels and English ML-Crisis timelines (test topics)."""
    from ..stages.embed import E5Embedder
    from .digest import evaluate_english_timeline, evaluate_event_types, format_digest_report
    from .timeline import TEST_TOPICS

    folder = _existing(data, SHARED_DATA, "shared data folder (semeval2022_task8, ml_crisis)")
    chosen = tuple(t.strip() for t in topics.split(",")) if topics else TEST_TOPICS
    embedder = E5Embedder(threads=settings.embed_threads)
    try:
        types = evaluate_event_types(folder, embedder)
        timeline = evaluate_english_timeline(folder / "ml_crisis", chosen, embedder)
    except (ValueError, FileNotFoundError) as exc:
        raise InputError(str(exc)) from exc
    report = {"event_types": types, "timeline": timeline}
    return report, format_digest_report(types, {",".join(chosen): timeline})
