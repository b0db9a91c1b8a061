"""The analysis engine: plan each batch of new articles (reads only), then the store applies the plan.

``run.analyze`` drives it; ``plan.plan_batch`` computes one batch with the pure stage functions; ``models`` holds
the heavy objects a process loads once; ``protocol.StoreView`` is what planning may read from a store.
"""
