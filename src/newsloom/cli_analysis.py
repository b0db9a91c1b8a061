"""Analysis commands: events, stories, entities, claims, digest, evaluation."""

from __future__ import annotations
