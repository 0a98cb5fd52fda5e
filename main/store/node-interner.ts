// The node paths of one trace being written, as the small integers its chunks store: first seen, first numbered
// (the writer's node table is `list`, in that order). One helper for every importer (QEMU runs, file imports,
// chunked uploads).

export interface NodeInterner {
  /** Node paths by number. */
  readonly list: string[];
  /** The number of `path`, given on first sight. */
  index(path: string): number;
}

export function nodeInterner(): NodeInterner {
  const list: string[] = [];
  const ids = new Map<string, number>();
  return {
    list,
    index(path) {
      let i = ids.get(path);
      if (i === undefined) ids.set(path, (i = list.push(path) - 1));
      return i;
    },
  };
}
