import { mkdtempSync, readFileSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { S3Bucket } from '@cdktf/provider-aws/lib/s3-bucket';
import { App, TerraformStack } from 'cdktf';
import { Construct } from 'constructs';
import {
  ADDRESSES_DIR, AddressCheck, asRecord, checkAddresses, lostMessage, readRecord, readSynthesized, reportMessage, writeRecord,
} from '../src/addresses';
import { buildEstate } from '../src/main';

const RECORD_DIR = join(__dirname, '..', ADDRESSES_DIR);

/** The lock as `npm test` applies it: new addresses are reported, lost ones fail. */
function enforce(check: AddressCheck, report: (text: string) => void = console.warn): void {
  const news = reportMessage(check);
  if (news) report(news);
  if (check.lost.length > 0) throw new Error(lostMessage(check));
}

/** For the scratch trees, whose new addresses are expected: the tests assert on the report instead. */
const quietly = (check: AddressCheck) => enforce(check, () => undefined);

describe('address lock', () => {
  const outdir = mkdtempSync(join(tmpdir(), 'piksel-addresses-'));
  afterAll(() => rmSync(outdir, { recursive: true, force: true }));

  test('no recorded address of the estate disappears without a moved block', () => {
    const app = new App({ outdir });
    buildEstate(app);
    app.synth();
    enforce(checkAddresses(readRecord(RECORD_DIR), readSynthesized(outdir)));
  });

  test('the record is sorted, without duplicates, one resource address a line', () => {
    const record = readRecord(RECORD_DIR);
    expect(Object.keys(record).length).toBeGreaterThan(0);
    for (const addresses of Object.values(record)) {
      expect(addresses).toEqual([...new Set(addresses)].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)));
      for (const address of addresses) expect(address).toMatch(/^([a-z0-9_]+|module)\.[A-Za-z0-9_-]+$/);
    }
  });
});

/** How a scratch stack's log bucket is declared, release after release. */
enum Variant {
  /** `Logs/Bucket`, as first deployed. */
  ORIGINAL,
  /** Renamed to `Logs/AccessLogs`, nothing else: Terraform would destroy the bucket. */
  RENAMED,
  /** Renamed, the old construct kept with `moveTo` the new one. */
  MOVED_TO,
  /** Renamed, the new construct declaring `moveFromId` the old address. */
  MOVED_FROM_ID,
}

class ScratchStack extends TerraformStack {
  constructor(scope: Construct, id: string, variant: Variant, originalAddress = '') {
    super(scope, id);
    new AwsProvider(this, 'Aws', { region: 'ap-southeast-3' });
    new S3Bucket(this, 'State', { bucket: 'piksel-scratch-state' });
    const logs = new Construct(this, 'Logs');
    if (variant === Variant.ORIGINAL) {
      new S3Bucket(logs, 'Bucket', { bucket: 'piksel-scratch-logs' });
      return;
    }
    const renamed = new S3Bucket(logs, 'AccessLogs', { bucket: 'piksel-scratch-logs' });
    if (variant === Variant.MOVED_TO) {
      renamed.addMoveTarget('access-logs');
      new S3Bucket(logs, 'Bucket', { bucket: 'piksel-scratch-logs' }).moveTo('access-logs');
    } else if (variant === Variant.MOVED_FROM_ID) {
      renamed.moveFromId(originalAddress);
    }
  }
}

describe('address lock on a scratch construct tree', () => {
  const work = mkdtempSync(join(tmpdir(), 'piksel-addresses-scratch-'));
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  /** Synthesizes `stacks` (name → variant) into a fresh directory and reads their addresses. */
  function synth(stacks: Record<string, Variant>, originalAddress?: string) {
    const app = new App({ outdir: mkdtempSync(join(work, 'out-')) });
    for (const [name, variant] of Object.entries(stacks)) new ScratchStack(app, name, variant, originalAddress);
    app.synth();
    return { outdir: app.outdir, stacks: readSynthesized(app.outdir) };
  }

  // The record as the update task writes it, read back from its files.
  const recordDir = join(work, 'record');
  const original = synth({ scratch: Variant.ORIGINAL });
  writeRecord(recordDir, original.stacks);
  const record = readRecord(recordDir);
  const bucket = record.scratch.find((a) => a.startsWith('aws_s3_bucket.Logs_Bucket_'))!;

  test('records each resource as type.name, sorted, without data sources or outputs', () => {
    expect(record.scratch).toEqual([bucket, expect.stringMatching(/^aws_s3_bucket\.State$/)]);
    expect(readFileSync(join(recordDir, 'scratch.txt'), 'utf-8')).toMatch(/^# .*pnpm addresses.*\naws_s3_bucket\.Logs_Bucket_\w+\naws_s3_bucket\.State\n$/);
  });

  test('fails when a renamed construct would destroy a resource, naming the stack, the address and both ways forward', () => {
    const check = checkAddresses(record, synth({ scratch: Variant.RENAMED }).stacks);
    expect(check.lost).toEqual([{
      stack: 'scratch', address: bucket, candidates: [expect.stringMatching(/^aws_s3_bucket\.Logs_AccessLogs_/)], stackGone: false,
    }]);
    expect(() => quietly(check)).toThrow(new RegExp(`stack scratch: ${bucket.replace('.', '\\.')} \\(renamed to aws_s3_bucket\\.Logs_AccessLogs_`));
    expect(() => quietly(check)).toThrow(/moveFromId\("<address above>"\).*old\.moveTo\("<target>"\)/);
    expect(() => quietly(check)).toThrow(/run `pnpm addresses` at the repository root .* say in the changeset why/);
  });

  test('passes once the old construct moves to the renamed one (moveTo), and reports the move', () => {
    const moved = synth({ scratch: Variant.MOVED_TO });
    // cdktf writes the old resource as a moved block only: Terraform carries its state across.
    const json = JSON.parse(readFileSync(join(moved.outdir, 'stacks', 'scratch', 'cdk.tf.json'), 'utf-8'));
    const renamed = Object.keys(json.resource.aws_s3_bucket).find((name) => name.startsWith('Logs_AccessLogs_'));
    expect(json.moved).toEqual([{ from: bucket, to: `aws_s3_bucket.${renamed}` }]);

    const check = checkAddresses(record, moved.stacks);
    expect(() => quietly(check)).not.toThrow();
    expect(check.moved).toEqual([{ stack: 'scratch', from: bucket, to: `aws_s3_bucket.${renamed}` }]);
    expect(reportMessage(check)).toMatch(/stack scratch: .* moved to aws_s3_bucket\.Logs_AccessLogs_/);
  });

  test('passes when the renamed construct moves the old address to itself (moveFromId)', () => {
    const check = checkAddresses(record, synth({ scratch: Variant.MOVED_FROM_ID }, bucket).stacks);
    expect(check.lost).toEqual([]);
    expect(check.moved).toHaveLength(1);
  });

  test('reports new addresses and new stacks without failing', () => {
    const check = checkAddresses(record, synth({ scratch: Variant.MOVED_TO, another: Variant.ORIGINAL }).stacks);
    expect(check.lost).toEqual([]);
    expect(check.newStacks).toEqual(['another']);
    expect(check.added).toEqual({ scratch: [expect.stringMatching(/^aws_s3_bucket\.Logs_AccessLogs_/)] });
    expect(reportMessage(check)).toMatch(/stack another: new, not in the record/);
  });

  test('fails when a recorded stack is no longer synthesized', () => {
    const check = checkAddresses({ ...record, retired: ['aws_s3_bucket.Old'] }, original.stacks);
    expect(() => quietly(check)).toThrow(/stack retired: aws_s3_bucket\.Old \(the stack is no longer synthesized\)/);
  });

  test('compares one synth with another, as the release check does', () => {
    const older = asRecord(original.stacks);
    expect(checkAddresses(older, synth({ scratch: Variant.ORIGINAL }).stacks).lost).toEqual([]);
    expect(checkAddresses(older, synth({ scratch: Variant.RENAMED }).stacks).lost.map((l) => l.address)).toEqual([bucket]);
  });
});
