"""PostgreSQL schema, versioned in a ``schema_version`` table; each migration runs once, in order, in a transaction.

The tables mirror the SQLite schema (:mod:`.schema`) column for column so both backends share the row codec
(:mod:`.codec`): dates stay ISO-8601 text (they sort as dates), JSON stays text. What differs is what PostgreSQL
does better: article embeddings and quote vectors are pgvector ``vector`` columns with an HNSW index (cosine) for
semantic search, and full-text search is a ``tsvector`` column (``simple`` configuration over text folded by
:func:`newsloom.text.fold`, with ``unaccent``) under a GIN index.
"""

from __future__ import annotations

EMBEDDING_DIM = 384  # multilingual-e5-small; the HNSW index covers vectors of this size
SEMANTIC_INDEX_EXPR = f"(vector::vector({EMBEDDING_DIM}))"
SEMANTIC_INDEX_WHERE = f"vector_dims(vector) = {EMBEDDING_DIM}"

EXTENSIONS = ("vector", "unaccent")

MIGRATIONS: tuple[str, ...] = (
    # 1: the schema of SQLite version 2 (articles, analysis tables, incremental state), with vector and
    # full-text columns.
    f"""
    CREATE TABLE articles (
        seq BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,   -- arrival order
        id TEXT NOT NULL UNIQUE,
        source TEXT NOT NULL,
        origin TEXT NOT NULL,
        title TEXT NOT NULL,
        text TEXT NOT NULL,
        language TEXT NOT NULL,
        language_confidence DOUBLE PRECISION NOT NULL,
        published TEXT,
        published_how TEXT NOT NULL,
        published_evidence TEXT NOT NULL DEFAULT '',
        temporal TEXT NOT NULL DEFAULT '[]',
        url TEXT,
        site TEXT,
        duplicate_of TEXT,
        event_id TEXT,
        ingested_at TEXT NOT NULL,
        analysed BOOLEAN NOT NULL DEFAULT FALSE,
        search TSVECTOR NOT NULL                               -- folded title (weight A) and text (B)
    );
    CREATE INDEX articles_event ON articles(event_id);
    CREATE INDEX articles_published ON articles(published);
    CREATE INDEX articles_pending ON articles(seq) WHERE NOT analysed;
    CREATE INDEX articles_search ON articles USING gin(search);
    CREATE TABLE removed_lines (
        article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
        line_no INTEGER NOT NULL,
        text TEXT NOT NULL,
        reason TEXT NOT NULL
    );
    CREATE INDEX removed_lines_article ON removed_lines(article_id);
    CREATE TABLE signatures (
        article_id TEXT PRIMARY KEY REFERENCES articles(id) ON DELETE CASCADE,
        signature BYTEA NOT NULL
    );
    -- Any model's vectors are kept; those of the default model's size are indexed for cosine search.
    CREATE TABLE embeddings (
        article_id TEXT PRIMARY KEY REFERENCES articles(id) ON DELETE CASCADE,
        model TEXT NOT NULL,
        vector VECTOR NOT NULL
    );
    CREATE INDEX embeddings_hnsw ON embeddings
        USING hnsw ({SEMANTIC_INDEX_EXPR} vector_cosine_ops) WHERE {SEMANTIC_INDEX_WHERE};
    CREATE TABLE rejections (
        seq BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        origin TEXT NOT NULL,
        stage TEXT NOT NULL,
        reason TEXT NOT NULL,
        at TEXT NOT NULL
    );
    CREATE TABLE entities (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        type TEXT NOT NULL,
        aliases TEXT NOT NULL,
        mention_count INTEGER NOT NULL
    );
    CREATE TABLE mentions (
        article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
        start INTEGER NOT NULL,
        "end" INTEGER NOT NULL,
        text TEXT NOT NULL,
        type TEXT NOT NULL,
        key TEXT NOT NULL,
        entity_id TEXT
    );
    CREATE INDEX mentions_article ON mentions(article_id);
    CREATE INDEX mentions_entity ON mentions(entity_id);
    CREATE INDEX mentions_key ON mentions(key);
    CREATE TABLE events (
        id TEXT PRIMARY KEY,
        title TEXT NOT NULL,
        start TEXT,
        "end" TEXT,
        languages TEXT NOT NULL,
        sources INTEGER NOT NULL,
        story_id TEXT,
        titles TEXT NOT NULL DEFAULT '{{}}',
        summary TEXT NOT NULL DEFAULT ''
    );
    CREATE INDEX events_story ON events(story_id);
    CREATE TABLE event_merges (
        old_id TEXT PRIMARY KEY,
        new_id TEXT NOT NULL,
        at TEXT NOT NULL
    );
    CREATE TABLE stories (
        id TEXT PRIMARY KEY,
        title TEXT NOT NULL,
        event_ids TEXT NOT NULL,
        summary TEXT NOT NULL DEFAULT ''
    );
    CREATE TABLE claims (
        id TEXT PRIMARY KEY,
        article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
        event_id TEXT,
        speaker TEXT NOT NULL,
        speaker_entity_id TEXT,
        quote TEXT NOT NULL,
        stance TEXT NOT NULL,
        kind TEXT NOT NULL,
        start INTEGER NOT NULL,
        "end" INTEGER NOT NULL,
        claim_group_id TEXT
    );
    CREATE INDEX claims_event ON claims(event_id);
    CREATE INDEX claims_article ON claims(article_id);
    CREATE INDEX claims_speaker ON claims(speaker_entity_id);
    CREATE TABLE state (
        name TEXT PRIMARY KEY,
        value BYTEA NOT NULL
    );
    CREATE TABLE entity_names (
        seq BIGINT GENERATED ALWAYS AS IDENTITY,               -- earliest forms first
        type TEXT NOT NULL,
        key TEXT NOT NULL,
        entity_id TEXT NOT NULL,
        neutral TEXT NOT NULL,
        block TEXT NOT NULL,
        first_block TEXT NOT NULL,
        tokens INTEGER NOT NULL,
        text TEXT NOT NULL,
        language TEXT NOT NULL,
        PRIMARY KEY (type, key)
    );
    CREATE INDEX entity_names_block ON entity_names(type, block);
    CREATE INDEX entity_names_first ON entity_names(first_block) WHERE type = 'PER' AND tokens > 1;
    CREATE INDEX entity_names_entity ON entity_names(entity_id);
    CREATE TABLE entity_redirects (
        old_id TEXT PRIMARY KEY,
        new_id TEXT NOT NULL,
        at TEXT NOT NULL
    );
    CREATE TABLE corrections (
        seq BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        kind TEXT NOT NULL CHECK (kind IN ('merge', 'split')),
        a TEXT NOT NULL,
        b TEXT NOT NULL,
        at TEXT NOT NULL
    );
    CREATE TABLE imported_aliases (
        seq BIGINT GENERATED ALWAYS AS IDENTITY,
        source_key TEXT PRIMARY KEY,
        record TEXT NOT NULL
    );
    CREATE TABLE cluster_events (
        id TEXT PRIMARY KEY,
        pool TEXT NOT NULL CHECK (pool IN ('open', 'archive')),
        size INTEGER NOT NULL,
        vec_sum BYTEA NOT NULL,
        terms TEXT NOT NULL,
        entities TEXT NOT NULL,
        languages TEXT NOT NULL,
        first TEXT,
        last TEXT,
        seen BIGINT NOT NULL,
        language TEXT NOT NULL,
        archived_rank BIGINT NOT NULL
    );
    CREATE TABLE story_profiles (
        event_id TEXT PRIMARY KEY,
        centroid BYTEA NOT NULL,
        entities TEXT NOT NULL,
        key_terms TEXT NOT NULL,
        start TEXT,
        "end" TEXT,
        size INTEGER NOT NULL
    );
    CREATE TABLE event_entities (
        entity_id TEXT NOT NULL,
        event_id TEXT NOT NULL,
        PRIMARY KEY (entity_id, event_id)
    );
    CREATE INDEX event_entities_event ON event_entities(event_id);
    CREATE TABLE text_vectors (
        hash TEXT NOT NULL,
        model TEXT NOT NULL,
        vector VECTOR NOT NULL,
        PRIMARY KEY (hash, model)
    );
    """,
    # 2: the near-duplicate index as rows (SQLite version 3); filled from the stored signatures on migrating.
    """
    CREATE TABLE dedup_bands (
        key BIGINT NOT NULL,
        seq BIGINT NOT NULL,
        PRIMARY KEY (key, seq)
    );
    """,
    # 3: indexes of the paged read paths (store/postgres_reads.py): each filter in arrival order, events by
    # date and entities by rank for keyset pages, and id prefixes (text_pattern_ops serves LIKE 'abc%').
    """
    CREATE INDEX IF NOT EXISTS articles_language_seq ON articles(language, seq);
    CREATE INDEX IF NOT EXISTS articles_event_seq ON articles(event_id, seq);
    CREATE INDEX IF NOT EXISTS articles_source_seq ON articles(source, seq);
    CREATE INDEX IF NOT EXISTS articles_site_seq ON articles(site, seq);
    CREATE INDEX IF NOT EXISTS articles_id_prefix ON articles(id text_pattern_ops);
    CREATE INDEX IF NOT EXISTS events_start ON events(start COLLATE "C", id COLLATE "C");
    CREATE INDEX IF NOT EXISTS entities_rank ON entities(mention_count, id COLLATE "C");
    CREATE INDEX IF NOT EXISTS entities_type_rank ON entities(type, mention_count, id COLLATE "C");
    CREATE INDEX IF NOT EXISTS stories_id ON stories(id COLLATE "C");
    CREATE INDEX IF NOT EXISTS claims_id ON claims(id COLLATE "C");
    """,
)

SCHEMA_VERSION = len(MIGRATIONS)
