// Interned comparison keys shared by both sides of a comparison. A key is one number so alignment compares
// with ===: class id (node, space, region, op, width, register-or-offset flag) × 2^40 + register-name id or
// offset; keys that do not fit (huge addresses, many classes) are interned strings with negative ids.

/** Keys below 2^52: class × KEY_SPLIT + register-name id or offset (offset < KEY_SPLIT, class < MAX_KEY_CLASS). */
export const KEY_SPLIT = 2 ** 40;
export const MAX_KEY_CLASS = 2 ** 12;
const SPLIT = KEY_SPLIT;
const MAX_CLASS = MAX_KEY_CLASS;

export interface KeyClass {
  kind: 'access' | 'mailbox' | 'step';
  node: string;
  space: string;
  region: string;
  op: string;
  width: number;
  /** Low part names a register (layout known) rather than an offset. */
  named: boolean;
}

export class KeyTable {
  private readonly classIds = new Map<string, number>();
  readonly classes: KeyClass[] = [];
  private readonly nameIds = new Map<string, number>();
  readonly names: string[] = [];
  private readonly strIds = new Map<string, number>();
  private readonly strLabels: string[] = [];
  private readonly strClasses: number[] = [];
  private readonly valueIds = new Map<string, number>();
  /** Mailbox results by return code → input → output: no joined string built and hashed per record. */
  private readonly mailboxValues = new Map<number, Map<string, Map<string, number>>>();
  private readonly summaryIds = new Map<number, number>();
  /** Dense summary id → summary key (summaryKey); ids are given on first use by either side. A Map, not a
   *  number[]: a fresh array per comparison would change element kind (small ints → doubles) in hot callers. */
  private readonly summaryKeys = new Map<number, number>();

  classId(c: KeyClass): number {
    const s = `${c.kind}|${c.node}|${c.space}|${c.region}|${c.op}|${c.width}|${c.named ? 'r' : 'o'}`;
    let id = this.classIds.get(s);
    if (id === undefined) {
      id = this.classes.length;
      this.classes.push(c);
      this.classIds.set(s, id);
    }
    return id;
  }

  nameId(s: string): number {
    let id = this.nameIds.get(s);
    if (id === undefined) {
      id = this.names.length;
      this.names.push(s);
      this.nameIds.set(s, id);
    }
    return id;
  }

  /** Id of a record's compared content (mailbox return code + payloads, step verdict). */
  valueId(s: string): number {
    let id = this.valueIds.get(s);
    if (id === undefined) {
      id = this.valueIds.size;
      this.valueIds.set(s, id);
    }
    return id;
  }

  /** valueId(`${returnCode}|${inputHex}|${outputHex}`), looked up without building that string. */
  mailboxValueId(returnCode: number, inputHex: string, outputHex: string): number {
    let byInput = this.mailboxValues.get(returnCode);
    if (!byInput) this.mailboxValues.set(returnCode, (byInput = new Map()));
    let byOutput = byInput.get(inputHex);
    if (!byOutput) byInput.set(inputHex, (byOutput = new Map()));
    let id = byOutput.get(outputHex);
    if (id === undefined) {
      id = this.valueId(`${returnCode}|${inputHex}|${outputHex}`);
      byOutput.set(outputHex, id);
    }
    return id;
  }

  key(cls: number, lo: number): number {
    if (cls < MAX_CLASS && lo >= 0 && lo < SPLIT && Number.isInteger(lo)) return cls * SPLIT + lo;
    const s = `${cls}:${lo}`;
    let id = this.strIds.get(s);
    if (id === undefined) {
      id = this.strLabels.length;
      this.strLabels.push(this.labelOf(cls, lo));
      this.strClasses.push(cls);
      this.strIds.set(s, id);
    }
    return -1 - id;
  }

  classOf(key: number): number {
    return key >= 0 ? Math.floor(key / SPLIT) : this.strClasses[-1 - key];
  }

  label(key: number): string {
    return key >= 0 ? this.labelOf(Math.floor(key / SPLIT), key % SPLIT) : this.strLabels[-1 - key];
  }

  /** Summary bucket: the register key, or one bucket per class for the memory path (every address differs). */
  summaryKey(key: number): number {
    const cls = this.classOf(key);
    return this.classes[cls].region === 'hpa' ? -(2 ** 52) - cls : key;
  }

  /**
   * Dense id of the summary bucket of a key, so the compare loop counts per register in an Int32Array instead
   * of a Map lookup per entry. Normalisation assigns it once per slot (register, or memory class).
   */
  summaryId(key: number): number {
    const skey = this.summaryKey(key);
    let id = this.summaryIds.get(skey);
    if (id === undefined) {
      id = this.summaryKeys.size;
      this.summaryKeys.set(id, skey);
      this.summaryIds.set(skey, id);
    }
    return id;
  }

  /** Number of summary ids given so far. */
  get summaryCount(): number {
    return this.summaryKeys.size;
  }

  /** The summary key of a summary id. */
  summaryKeyOf(id: number): number {
    return this.summaryKeys.get(id)!;
  }

  summaryLabel(skey: number): string {
    if (skey <= -(2 ** 52)) {
      const c = this.classes[-(2 ** 52) - skey];
      return `${c.node} · memory · ${c.op}`;
    }
    return this.label(skey);
  }

  /**
   * The device and structure a summary bucket belongs to: the node (steps without one: '(steps)'), and the
   * register block of a named key, 'memory', 'mailbox records', 'steps', or "<region> (undeclared)".
   */
  summaryParts(skey: number): { node: string; structure: string } {
    if (skey <= -(2 ** 52)) return { node: this.classes[-(2 ** 52) - skey].node, structure: 'memory' };
    const c = this.classes[this.classOf(skey)];
    if (c.kind === 'mailbox') return { node: c.node, structure: 'mailbox records' };
    if (c.kind === 'step') return { node: c.node || '(steps)', structure: 'steps' };
    if (!c.named) return { node: c.node, structure: `${c.region} (undeclared)` };
    // label: "node · block · register … · op width"
    return { node: c.node, structure: this.label(skey).split(' · ')[1] };
  }

  private labelOf(cls: number, lo: number): string {
    const c = this.classes[cls];
    if (c.kind === 'mailbox') return `${c.node} · mailbox 0x${lo.toString(16).padStart(4, '0')}`;
    if (c.kind === 'step') return `step · ${this.names[lo]}`;
    const where = c.named ? this.names[lo] : `${c.region} +0x${lo.toString(16)}`;
    return `${c.node} · ${where} · ${c.op}${c.width}`;
  }
}
