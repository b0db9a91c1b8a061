"""Claims: attributed quotes and reported claims with speaker and stance, grouped by proposition.

``extract`` finds claims in one article (``spans`` finds quotes and sentences, ``speakers`` resolves who speaks,
``lexicon`` holds the reporting verbs and negation cues per language); ``group`` joins claims of one event that
state the same proposition.
"""

from .extract import claim_id, extract_claims, stance_of
from .group import group_claims

__all__ = ["claim_id", "extract_claims", "group_claims", "stance_of"]
