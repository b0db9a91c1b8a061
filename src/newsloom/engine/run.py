"""Run the analysis: plan each batch of unanalysed articles and let the store apply it, batch after batch.

Articles are analysed in arrival order, ``batch_size`` at a time. Each batch is planned (:mod:`.plan`, reads
only) and applied by the store in one transaction that also marks its articles analysed, so a crash at any
moment costs at most the batch in flight, and the next command that analyses (any ``ingest``, ``analyze`` or
``recluster``) resumes with the first unanalysed article.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from ..progress import Progress, Silent
from .models import Models
from .plan import plan_batch

if TYPE_CHECKING:
    from ..store.protocol import Store


def analyze(
    store: Store,
    models: Callable[[], Models],
    *,
    batch_size: int = 200,
    rebuild: bool = False,
    progress: Progress | None = None,
) -> tuple[str, ...]:
    """Bring entities, events, stories and claims up to date with the stored articles; returns notes.

    ``models`` is called only when there is work (read-only runs load nothing); ``rebuild`` clears every
    derived result first and analyses the whole store again with the current settings (``newsloom recluster``).
    """
    from ..stages.cluster import Clusterer

    if rebuild:
        store.reset_analysis()
    pending = store.count_pending()
    if not pending:
        return ()
    loaded = models()
    state = store.cluster_state()
    clusterer = Clusterer.from_state(state) if state is not None else Clusterer()
    notes = list(loaded.notes)
    watch = progress or Silent()
    done = 0
    bar = watch.track(range(pending), "analysis", total=pending, unit="article")
    ticks = iter(bar)
    while True:
        batch = store.pending_articles(limit=batch_size)
        if not batch:
            break
        plan = plan_batch(store, loaded, clusterer, batch)
        store.apply(plan)
        notes.extend(plan.problems)
        done += len(batch)
        for _ in batch:
            next(ticks, None)
    for _ in ticks:  # close the bar
        pass
    counts = store.counts()
    notes.append(
        f"analysed {done} new article(s): {counts['events']} event(s), {counts['stories']} stor"
        f"{'y' if counts['stories'] == 1 else 'ies'}, {counts['entities']} entities, {counts['claims']} claim(s)"
    )
    return tuple(notes)
