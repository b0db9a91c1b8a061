"""SQLite schema, versioned with ``PRAGMA user_version``; each migration runs once, in order, in a transaction."""

from __future__ import annotations

MIGRATIONS: tuple[str, ...] = (
    # 1: articles with audit trail, full-text search, duplicate signatures, analysis results.
    """
    CREATE TABLE articles (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,      -- arrival order, also the FTS rowid
        id TEXT NOT NULL UNIQUE,
        source TEXT NOT NULL,
        origin TEXT NOT NULL,
        title TEXT NOT NULL,
        text TEXT NOT NULL,
        language TEXT NOT NULL,
        language_confidence REAL NOT NULL,
        published TEXT,
        published_how TEXT NOT NULL,
        published_evidence TEXT NOT NULL DEFAULT '',
        temporal TEXT NOT NULL DEFAULT '[]',        -- JSON list of temporal expressions
        url TEXT,
        site TEXT,
        duplicate_of TEXT,
        event_id TEXT,
        ingested_at TEXT NOT NULL
    );
    CREATE INDEX articles_event ON articles(event_id);
    CREATE INDEX articles_published ON articles(published);
    CREATE TABLE removed_lines (
        article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
        line_no INTEGER NOT NULL,
        text TEXT NOT NULL,
        reason TEXT NOT NULL
    );
    CREATE INDEX removed_lines_article ON removed_lines(article_id);
    -- Folded text (ours, because FTS5's folding misses Polish ł): rowid = articles.seq.
    CREATE VIRTUAL TABLE articles_fts USING fts5(title, text, tokenize = 'unicode61 remove_diacritics 2');
    CREATE TABLE signatures (
        article_id TEXT PRIMARY KEY REFERENCES articles(id) ON DELETE CASCADE,
        signature BLOB NOT NULL
    );
    CREATE TABLE embeddings (
        article_id TEXT PRIMARY KEY REFERENCES articles(id) ON DELETE CASCADE,
        model TEXT NOT NULL,
        vector BLOB NOT NULL
    );
    CREATE TABLE rejections (
        origin TEXT NOT NULL,
        stage TEXT NOT NULL,
        reason TEXT NOT NULL,
        at TEXT NOT NULL
    );
    CREATE TABLE entities (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        type TEXT NOT NULL,
        aliases TEXT NOT NULL,                      -- JSON list of {text, language, count}
        mention_count INTEGER NOT NULL
    );
    CREATE TABLE mentions (
        article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
        start INTEGER NOT NULL,
        end INTEGER NOT NULL,
        text TEXT NOT NULL,
        type TEXT NOT NULL,
        key TEXT NOT NULL,
        entity_id TEXT
    );
    CREATE INDEX mentions_article ON mentions(article_id);
    CREATE INDEX mentions_entity ON mentions(entity_id);
    CREATE TABLE events (
        id TEXT PRIMARY KEY,
        title TEXT NOT NULL,
        start TEXT,
        end TEXT,
        languages TEXT NOT NULL,                    -- JSON list
        sources INTEGER NOT NULL,
        story_id TEXT,
        titles TEXT NOT NULL DEFAULT '{}',          -- JSON {language: title}
        summary TEXT NOT NULL DEFAULT ''
    );
    CREATE TABLE event_merges (
        old_id TEXT PRIMARY KEY,
        new_id TEXT NOT NULL,
        at TEXT NOT NULL
    );
    CREATE TABLE stories (
        id TEXT PRIMARY KEY,
        title TEXT NOT NULL,
        event_ids TEXT NOT NULL,                    -- JSON list in time order
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
        end INTEGER NOT NULL,
        claim_group_id TEXT
    );
    CREATE INDEX claims_event ON claims(event_id);
    CREATE TABLE state (
        name TEXT PRIMARY KEY,
        value BLOB NOT NULL
    );
    """,
    # 2: incremental analysis. State moves from whole-store blobs into tables written with the batch that changes
    # them: analysed marks on articles, the entity name index, the clusterer's indexed events, story profiles,
    # quote vectors, corrections and imported names. Derived results of a version-1 store are cleared here and
    # rebuilt by the next analysis (articles, rejections, embeddings and the analyst's decisions are kept).
    """
    ALTER TABLE articles ADD COLUMN analysed INTEGER NOT NULL DEFAULT 0;
    CREATE INDEX articles_pending ON articles(seq) WHERE analysed = 0;
    CREATE INDEX mentions_key ON mentions(key);
    CREATE TABLE entity_names (
        type TEXT NOT NULL,
        key TEXT NOT NULL,
        entity_id TEXT NOT NULL,
        neutral TEXT NOT NULL,
        block TEXT NOT NULL,                        -- loose prefix of the last token
        first_block TEXT NOT NULL,                  -- loose prefix of the first token
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
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        kind TEXT NOT NULL CHECK (kind IN ('merge', 'split')),
        a TEXT NOT NULL,
        b TEXT NOT NULL,
        at TEXT NOT NULL
    );
    CREATE TABLE imported_aliases (
        source_key TEXT PRIMARY KEY,
        record TEXT NOT NULL                        -- JSON {name, type, variants, source_id}
    );
    CREATE TABLE cluster_events (
        id TEXT PRIMARY KEY,
        pool TEXT NOT NULL CHECK (pool IN ('open', 'archive')),
        size INTEGER NOT NULL,
        vec_sum BLOB NOT NULL,
        terms TEXT NOT NULL,
        entities TEXT NOT NULL,
        languages TEXT NOT NULL,
        first TEXT,
        last TEXT,
        seen INTEGER NOT NULL,
        language TEXT NOT NULL,
        archived_rank INTEGER NOT NULL
    );
    CREATE TABLE story_profiles (
        event_id TEXT PRIMARY KEY,
        centroid BLOB NOT NULL,
        entities TEXT NOT NULL,
        key_terms TEXT NOT NULL,
        start TEXT,
        end TEXT,
        size INTEGER NOT NULL
    );
    CREATE TABLE event_entities (
        entity_id TEXT NOT NULL,
        event_id TEXT NOT NULL,
        PRIMARY KEY (entity_id, event_id)
    ) WITHOUT ROWID;
    CREATE INDEX event_entities_event ON event_entities(event_id);
    CREATE TABLE text_vectors (
        hash TEXT NOT NULL,
        model TEXT NOT NULL,
        vector BLOB NOT NULL,
        PRIMARY KEY (hash, model)
    ) WITHOUT ROWID;
    CREATE INDEX events_story ON events(story_id);
    CREATE INDEX claims_article ON claims(article_id);
    CREATE INDEX claims_speaker ON claims(speaker_entity_id);
    DELETE FROM mentions;
    DELETE FROM entities;
    DELETE FROM events;
    DELETE FROM stories;
    DELETE FROM claims;
    DELETE FROM event_merges;
    UPDATE articles SET event_id = NULL;
    UPDATE articles SET published = NULL, published_how = 'unknown', published_evidence = ''
        WHERE published_how = 'inferred';
    DELETE FROM state WHERE name IN ('clusterer', 'claim_vectors', 'analysed_articles');
    """,
    # 3: the near-duplicate index as rows (LSH band keys of each signature -> arrival number), looked up per
    # article instead of rebuilt in memory from every signature by each process. Filled from the stored
    # signatures by the store when it migrates.
    """
    CREATE TABLE dedup_bands (
        key INTEGER NOT NULL,
        seq INTEGER NOT NULL,
        PRIMARY KEY (key, seq)
    ) WITHOUT ROWID;
    """,
    # 4: indexes of the paged read paths (store/sqlite_reads.py). An index on one column also orders by rowid
    # (= seq), so each serves its filter in arrival order; events by date and entities by rank page by keyset.
    """
    CREATE INDEX IF NOT EXISTS articles_language ON articles(language);
    CREATE INDEX IF NOT EXISTS articles_source ON articles(source, published);
    CREATE INDEX IF NOT EXISTS articles_site ON articles(site, published);
    CREATE INDEX IF NOT EXISTS events_start ON events(start, id);
    CREATE INDEX IF NOT EXISTS entities_rank ON entities(mention_count, id);
    CREATE INDEX IF NOT EXISTS entities_type_rank ON entities(type, mention_count, id);
    """,
)

SCHEMA_VERSION = len(MIGRATIONS)
