// Command-line usage text and the error for bad usage (exit code 2, one line on stderr).

export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/** Exit codes CI can rely on (DESIGN.md 6). */
export const EXIT = { ok: 0, failed: 1, usage: 2 } as const;

export const USAGE = `usage: cxl-bench <command> [options]      cxl-bench --version      cxl-bench --help

commands:
  demo   [--db FILE] [--json] [--sequence ID] [--topology NAME|FILE]
         run the default sequence on the default emulated topology and print a summary
  serve  [--port N (default 4274)] [--host 127.0.0.1 [--allow-remote] [--allow-host NAME ...]] [--db FILE] [--static DIR]
         serve the API (WebSocket) and the browser UI; prints a one-time sign-in link (Enter: another);
         an address other than loopback needs --allow-remote (see README for an SSH tunnel or TLS)
  runs list [--db FILE] [--session N] [--json]
  runs log RUN [--console] [--db FILE] [--json]
         a run's log; --console: the guest console of a QEMU + Linux run
  trace  RUN --format csv|jsonl|vcd [--out FILE] [--db FILE]
  import FILE [--format qemu|csv|jsonl] [--session NAME] [--topology NAME|FILE] [--node-map DEVICE=NODE ...]
         [--all-devices] [--db FILE] [--json]
         a QEMU trace log, CSV or JSON lines as a new run (sequence 'import') on the topology (stored with it);
         every line counted (imported, folded, used, blank, skipped with its reason); exit 2 naming a bad line
         or the devices the topology has no node for (--node-map places them, e.g. cxl-type3@0d:00.0=hb0.rp0.ep0);
         a QEMU log keeps only its CXL devices unless --all-devices
  replay RUN [--topology NAME|FILE] [--profile spec|qemu] [--node-map A=B ...] [--target NODE=URI ...] [--map FILE]
         [--hunks N] [--db FILE] [--json]
         issue a stored run's accesses (e.g. an imported QEMU log) on an emulated topology, then compare
         source and replay: first divergence, counts, top hunks with field decode (exit 1 when they differ)
  qemu-compare LOG [--profile qemu|spec] [--topology NAME|FILE] [--node-map DEVICE=NODE ...] [--session NAME] [--db FILE] [--json]
         import a QEMU trace log (its CXL devices placed on the topology's nodes), replay it on that topology
         and compare
  session export SESSION --out FILE [--db FILE] [--json]
         write a session (runs, traces, steps, logs) to a file another bench can import or open
  session import FILE [--db FILE] [--json]
         copy the sessions of an exported file into the database
  compare RUN_A RUN_B [--mask FIELD ...] [--node-map A=B ...] [--node A[=B]] [--align node|global] [--rebase]
         [--hunks N] [--json] [--db FILE]
         compare two stored runs: counts, alignment, per device and per structure (moved structures once),
         first divergence, registers, first N hunks decoded (exit 1 when they differ); each node is aligned in
         its own stream unless --align global; --node compares one node pair
  regs   NODE [--space cfg|bar0|bar2] [--topology NAME|FILE] [--db FILE] [--json]
         decoded registers of an emulated endpoint after reset
  run    --sequence ID [--topology NAME|FILE] [--target NODE=URI ...] [--map FILE] [--session NAME] [--db FILE] [--json]
         [--junit FILE] [--kernel 6.1|6.12|mainline|all]
         run a registered sequence (enumerate, linux-probe, region, conformance, ...) in a worker; steps with
         verdicts as a table; exit 1 when a step failed; --junit writes each step as a JUnit test case for CI.
         --kernel picks the kernel profile whose rules apply (default 6.12); --kernel all runs it under every
         profile and prints the kernel matrix (step × version, first failing step per version)
  run    --target qemu [--topology NAME|FILE] [--kernel PATH] [--region ram|pmem] [--ways N] [--granularity N] [--timeout S] [--initrd-extra DIR]
         the same topology on real Linux in QEMU (see qemu run); here --kernel is the guest kernel image
  qemu   doctor | cmdline [TOPOLOGY] | run ... | topologies | capture --out DIR   (cxl-bench qemu --help)
         QEMU + Linux as a target: what is missing here, the command line, a boot with the real CXL driver
  fidelity [CAPTURE ...] [--kernel 6.1|6.12|mainline] [--profile qemu-7.2|qemu|spec|spec-2.0] [--diffs N] [--json]
         measure the models against the real QEMU 7.2 + Linux 6.1 captures (single, interleave2, switch4, hb2):
         probe alignment/values per device, replayed reads answered as QEMU did, region writes vs cxl
         create-region; exit 1 when a figure misses its bar (95 % / 99 % / 99 % / equal)
  kernels [list] [--json]
         the kernel profiles (6.1, 6.12, mainline) with every rule and the source file/function it comes from
  lab    status|init|publish|benches|boards|sessions|topologies|browse|show|pull|compare|history ...   (lab --help)
         the lab store: publish sessions to one PostgreSQL database shared by every bench ($CXL_BENCH_LAB),
         browse and pull any bench's runs, compare across benches, verdict history across board revisions
  link   test URI [--map FILE] [--reads N] [--json] | ports [--json]
         open a link (uartbone:/dev/ttyUSB0@115200, etherbone+tcp://127.0.0.1:1234), time ID reads, close
  sim    uartbone --pty [--profile ideal|rev-a] [--baud N] [--paced] | etherbone --tcp PORT [--profile ...]
         simulated silicon (the default endpoint with a silicon profile); prints the link URI, serves until Ctrl-C
  topology list [--json] [--db FILE] | check FILE [--json] | show NAME|FILE [--json] | save NAME FILE [--db FILE] | delete NAME [--db FILE]
         built-in topologies; validate a topology file (exit 2 with every "field.path: message" when invalid);
         the tree and nodes (with BDFs) of a topology; save a file into the database (relative backend map paths
         made absolute) so run/demo/live take its name; delete a saved one
  topology from-qemu LOG|CMDLINE [--name NAME] [--out FILE] [--json]
         a topology file from a QEMU command line (exact) or a QEMU trace log (structure only), so a capture
         imports and replays on exactly its own topology
  mailbox NODE OPCODE [--payload HEX] [--topology NAME|FILE] [--db FILE] [--json]
         one mailbox command on a live emulated platform, decoded; OPCODE is hex (0x4000) or a name
         (identify, get-poison-list); exit 1 when the return code is not Success
  inject poison NODE --dpa ADDR [--length BYTES]          then Get Poison List
  inject event  NODE --log informational|warning|failure|fatal --kind general-media|dram|memory-module
                [--dpa ADDR] [--flags N] [--event-type N]  then Get Event Records of that log
  inject ras    NODE --kind uncorrectable|correctable --bits MASK [--unmask]  then the RAS registers
         (errors are masked after reset and then not recorded; --unmask clears their mask bits first)
  inject media  NODE --state ready|not-ready|error|disabled          then Memory Device Status
         (inject takes [--topology NAME|FILE] [--db FILE] [--json] too; mailbox and inject are recorded in a
         'console' run of session 'cli')
  region [--topology NAME] [--mode ram|pmem] [--kernel 6.1|6.12|mainline] [--ways N] [--granularity BYTES]
         [--keep] [--no-memtest] [--list] [--decode HPA ...] [--json]
         create a region the way Linux does (DPA skip, positions, pass-through ports), memory-test, tear down
  cxl-list [--topology NAME] [--kernel K] [--region ram|pmem|auto]    \`cxl list -vvv\` JSON of the platform
  decode HPA [--topology NAME] [--no-region] [--mode ram|pmem] [--json]
         the decode chain window -> host bridge -> switch -> endpoint -> DPA, or where it breaks
  labels NODE [--topology NAME] [--region]   the device's LSA decoded (index blocks, region/namespace labels)
         (each takes --help; all recorded in a 'console' run of session 'cli')

exit codes: 0 ok, 1 verdicts failed (or the run errored, or compared runs differ), 2 bad usage or input
default database: $CXL_BENCH_DB, else ~/.config/cxl-bench/cxl-bench.sqlite (the one 'npm start' and the app use)
default port (serve): $CXL_BENCH_PORT, else 4274; --port 0 takes any free port`;
