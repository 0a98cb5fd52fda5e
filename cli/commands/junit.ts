// `cxl-bench run ... --junit FILE`: the run as JUnit XML for hardware CI (Jenkins, GitHub Actions test
// reporters, GitLab, LAVA's JUnit import). One <testsuite> per run; each step is a <testcase> named by the step,
// classname "<sequence>.<topology>": fail -> <failure message=reason> with the evidence as text; warn and info
// pass, with their verdict as a property and "WARN: reason" in <system-out>; a run that ended 'error' or
// 'interrupted' without a failing step adds a testcase "run" with <error> carrying its summary. The file
// appears whole or not at all.

import { writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import type { RunDetail } from '../../main/api/contract.js';
import { writeFileWholeSync } from '../../main/store/file-output.js';

/** XML 1.0 allows tab, LF, CR and U+0020.. (minus surrogates, FFFE/FFFF); anything else becomes U+FFFD. */
// eslint-disable-next-line no-control-regex
const NOT_XML = /[^\u0009\u000a\u000d\u0020-\ud7ff\ue000-\ufffd\u{10000}-\u{10ffff}]/gu;
const ESC: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' };

export const xml = (s: string): string => s.replace(NOT_XML, '\ufffd').replace(/[&<>"']/g, (c) => ESC[c]!);

const seconds = (from: string, to: string | null): string => (to ? Math.max(0, (Date.parse(to) - Date.parse(from)) / 1000).toFixed(3) : '0');

export function junitXml(r: RunDetail): string {
  const cls = xml(`${r.sequence}.${r.topology}`);
  const failures = r.steps.filter((s) => s.verdict === 'fail').length;
  const runError = (r.status === 'error' || r.status === 'interrupted') && failures === 0;
  const cases = r.steps.map((s) => {
    const props = `      <properties><property name="verdict" value="${s.verdict}"/><property name="trace_seq" value="${s.eventSeq}"/></properties>\n`;
    const body =
      s.verdict === 'fail'
        ? `      <failure message="${xml(s.reason)}" type="fail">${xml(s.evidence ?? s.reason)}</failure>\n`
        : `      <system-out>${xml(`${s.verdict.toUpperCase()}: ${s.reason}${s.evidence ? `\nevidence: ${s.evidence}` : ''}`)}</system-out>\n`;
    return `    <testcase classname="${cls}" name="${xml(`${String(s.seq).padStart(3, '0')} ${s.name}`)}" time="0">\n${props}${body}    </testcase>\n`;
  });
  if (runError)
    cases.push(`    <testcase classname="${cls}" name="run" time="${seconds(r.startedAt, r.endedAt)}">\n      <error message="${xml(`run ${r.status}`)}" type="${r.status}">${xml(r.summary ?? '')}</error>\n    </testcase>\n`);
  const props = [
    ['run_id', String(r.id)],
    ['sequence', r.sequence],
    ['topology', r.topology],
    ['targets', r.targets],
    ['status', r.status],
    ['summary', r.summary ?? ''],
    ['events', String(r.eventCount)],
  ]
    .map(([k, v]) => `      <property name="${k}" value="${xml(v!)}"/>\n`)
    .join('');
  const tests = cases.length;
  return (
    '<?xml version="1.0" encoding="UTF-8"?>\n' +
    `<testsuites name="cxl-bench" tests="${tests}" failures="${failures}" errors="${runError ? 1 : 0}" time="${seconds(r.startedAt, r.endedAt)}">\n` +
    `  <testsuite name="${cls}" tests="${tests}" failures="${failures}" errors="${runError ? 1 : 0}" skipped="0" time="${seconds(r.startedAt, r.endedAt)}" timestamp="${xml(r.startedAt)}" hostname="${xml(hostname())}">\n` +
    `    <properties>\n${props}    </properties>\n` +
    cases.join('') +
    '  </testsuite>\n</testsuites>\n'
  );
}

/** Write the run's JUnit XML to `path` whole (temporary file + rename). */
export function writeJunit(path: string, r: RunDetail): void {
  const text = junitXml(r);
  writeFileWholeSync(path, (tmp) => writeFileSync(tmp, text));
}
