-- Schema 3: which process executes a run, so opening the store marks 'running' runs 'interrupted' only when
-- the process that ran them is gone (a CLI opening the file while the app or `serve` runs must not).

ALTER TABLE runs ADD COLUMN owner_host TEXT;
ALTER TABLE runs ADD COLUMN owner_pid INTEGER;
