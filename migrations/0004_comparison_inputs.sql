-- Schema 4: a saved comparison keeps its inputs and its summary as columns (compare.list, queries, session
-- export), not only inside the `result` JSON: field masks and the node map as JSON, other options (rebase) as
-- JSON, and the summary as JSON (counts, first divergence, per-register counts).

ALTER TABLE comparisons ADD COLUMN masks TEXT NOT NULL DEFAULT '[]';
ALTER TABLE comparisons ADD COLUMN node_map TEXT NOT NULL DEFAULT '{}';
ALTER TABLE comparisons ADD COLUMN options TEXT NOT NULL DEFAULT '{}';
ALTER TABLE comparisons ADD COLUMN summary_json TEXT;
CREATE INDEX comparisons_by_session ON comparisons(session_id, id);
