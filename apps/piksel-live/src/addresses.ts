import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'fs';
import { join } from 'path';

/**
 * The address lock (README "Address lock"): a reviewed record of every resource address of every
 * stack the app synthesizes, and the check that no recorded address disappears unless a `moved`
 * block carries its state to a new address.
 *
 * Construct IDs are Terraform addresses: a renamed construct, a reordered list or a resource moved
 * under another parent plans a destroy and a create. Only managed resources (and module calls)
 * are recorded: a data source or an output holds no infrastructure, so renaming one destroys
 * nothing (and Terraform's `moved` block cannot even name a data source).
 */

/** The record's directory, beside the app's package.json: one `<stack>.txt` per stack. */
export const ADDRESSES_DIR = 'addresses';

/** The one command that rewrites the record from the current synth (run at the repository root). */
export const UPDATE_COMMAND = 'pnpm addresses';

const RECORD_SUFFIX = '.txt';
const HEADER = (stack: string) =>
  `# Resource addresses of stack "${stack}": written by \`${UPDATE_COMMAND}\`; see README "Address lock".`;

/** A Terraform `moved` block, as cdktf's `moveTo`/`moveToId`/`moveFromId` synthesize it. */
export interface MovedBlock {
  readonly from: string;
  readonly to: string;
}

/** What one synthesized stack holds, as far as the lock is concerned. */
export interface StackAddresses {
  readonly stack: string;
  /** `type.name` of every managed resource and `module.name` of every module call, sorted. */
  readonly addresses: string[];
  readonly moved: MovedBlock[];
}

/** Recorded addresses per stack. */
export type AddressRecord = Record<string, string[]>;

/** The parts of a synthesized `cdk.tf.json` the lock reads. */
interface TerraformJson {
  readonly resource?: Record<string, Record<string, unknown>>;
  readonly module?: Record<string, unknown>;
  readonly moved?: MovedBlock[];
}

/** The addresses and `moved` blocks of one stack's Terraform JSON. */
export function stackAddresses(stack: string, json: TerraformJson): StackAddresses {
  const addresses = [
    ...Object.entries(json.resource ?? {}).flatMap(([type, resources]) => Object.keys(resources).map((name) => `${type}.${name}`)),
    ...Object.keys(json.module ?? {}).map((name) => `module.${name}`),
  ];
  return { stack, addresses: sortAddresses(addresses), moved: json.moved ?? [] };
}

/** Every stack an `app.synth()` wrote into `outdir`, in the order of its manifest. */
export function readSynthesized(outdir: string): StackAddresses[] {
  const manifest = JSON.parse(readFileSync(join(outdir, 'manifest.json'), 'utf-8')) as {
    stacks: Record<string, { synthesizedStackPath: string }>;
  };
  return Object.entries(manifest.stacks).map(([stack, { synthesizedStackPath }]) =>
    stackAddresses(stack, JSON.parse(readFileSync(join(outdir, synthesizedStackPath), 'utf-8'))));
}

/** Synthesized stacks as a record, for comparing one synth with another (release to release). */
export function asRecord(stacks: StackAddresses[]): AddressRecord {
  return Object.fromEntries(stacks.map((s) => [s.stack, s.addresses]));
}

/** Reads the record in `dir` (`<stack>.txt`, one address a line; `#` lines are comments). */
export function readRecord(dir: string): AddressRecord {
  if (!existsSync(dir)) return {};
  const record: AddressRecord = {};
  for (const file of readdirSync(dir).filter((f) => f.endsWith(RECORD_SUFFIX)).sort()) {
    record[file.slice(0, -RECORD_SUFFIX.length)] = readFileSync(join(dir, file), 'utf-8')
      .split('\n')
      .map((line) => line.trim())
      .filter((line) => line !== '' && !line.startsWith('#'));
  }
  return record;
}

/** Writes `stacks` as the record in `dir`, removing the files of stacks no longer synthesized. */
export function writeRecord(dir: string, stacks: StackAddresses[]): void {
  mkdirSync(dir, { recursive: true });
  const keep = new Set(stacks.map((s) => `${s.stack}${RECORD_SUFFIX}`));
  for (const file of readdirSync(dir).filter((f) => f.endsWith(RECORD_SUFFIX) && !keep.has(f))) {
    rmSync(join(dir, file));
  }
  for (const { stack, addresses } of stacks) {
    writeFileSync(join(dir, `${stack}${RECORD_SUFFIX}`), [HEADER(stack), ...addresses, ''].join('\n'));
  }
}

/** A recorded address that is gone, with the new addresses of the same type that may have replaced it. */
export interface LostAddress {
  readonly stack: string;
  readonly address: string;
  /** New addresses of the same resource type in the same stack: likely the renamed construct. */
  readonly candidates: string[];
  /** Set when the whole stack is no longer synthesized. */
  readonly stackGone: boolean;
}

/** How the current synth compares with the record. */
export interface AddressCheck {
  /** Recorded addresses with no resource and no `moved` block: each would be destroyed. */
  readonly lost: LostAddress[];
  /** Recorded addresses whose state a `moved` block carries to a new address. */
  readonly moved: Array<MovedBlock & { readonly stack: string }>;
  /** Addresses not in the record, per recorded stack (reported, never failed). */
  readonly added: Record<string, string[]>;
  /** Stacks with no record yet (reported, never failed). */
  readonly newStacks: string[];
}

/** Compares the current synth with the record (or with an earlier synth, see `asRecord`). */
export function checkAddresses(recorded: AddressRecord, current: StackAddresses[]): AddressCheck {
  const byStack = new Map(current.map((s) => [s.stack, s]));
  const lost: LostAddress[] = [];
  const moved: Array<MovedBlock & { stack: string }> = [];
  const added: Record<string, string[]> = {};
  for (const [stack, addresses] of Object.entries(recorded)) {
    const now = byStack.get(stack);
    if (!now) {
      lost.push(...addresses.map((address) => ({ stack, address, candidates: [], stackGone: true })));
      continue;
    }
    const present = new Set(now.addresses);
    const before = new Set(addresses);
    const fresh = now.addresses.filter((a) => !before.has(a));
    if (fresh.length > 0) added[stack] = fresh;
    for (const address of addresses.filter((a) => !present.has(a))) {
      // `from` may name the resource or one of its instances (`type.name[0]`).
      const move = now.moved.find((m) => m.from === address || m.from.startsWith(`${address}[`));
      if (move) {
        moved.push({ stack, ...move });
      } else {
        lost.push({ stack, address, candidates: fresh.filter((a) => typeOf(a) === typeOf(address)), stackGone: false });
      }
    }
  }
  const newStacks = current.map((s) => s.stack).filter((stack) => !(stack in recorded));
  return { lost, moved, added, newStacks };
}

/**
 * Why the lock fails: each lost address with its stack, and the two ways forward. Empty when
 * nothing is lost.
 */
export function lostMessage(check: AddressCheck): string {
  if (check.lost.length === 0) return '';
  const lines = check.lost.map(({ stack, address, candidates, stackGone }) => {
    const hint = stackGone
      ? ' (the stack is no longer synthesized)'
      : candidates.length > 0 ? ` (renamed to ${candidates.join(' or ')}?)` : '';
    return `  stack ${stack}: ${address}${hint}`;
  });
  return [
    `Address lock: ${check.lost.length} recorded resource address(es) disappeared and no moved block accounts for them; ` +
      'Terraform would destroy each (and create whatever replaced it):',
    ...lines,
    'Two ways forward:',
    '  1. Keep the resource: move its state. On the construct that replaces it call `moveFromId("<address above>")`, or keep the ' +
      'old construct, call `old.moveTo("<target>")` and `replacement.addMoveTarget("<target>")` (cdktf writes a `moved` block).',
    `  2. Accept the destroy: run \`${UPDATE_COMMAND}\` at the repository root to update the record (apps/piksel-live/${ADDRESSES_DIR}/), ` +
      'commit it, and say in the changeset why destroying these resources is safe.',
  ].join('\n');
}

/** What is new (addresses and stacks) and what moved: reported, never failed. Empty when nothing is. */
export function reportMessage(check: AddressCheck): string {
  const lines = [
    ...check.newStacks.map((stack) => `  stack ${stack}: new, not in the record`),
    ...Object.entries(check.added).map(([stack, addresses]) => `  stack ${stack}: ${addresses.length} new: ${addresses.join(', ')}`),
    ...check.moved.map(({ stack, from, to }) => `  stack ${stack}: ${from} moved to ${to}`),
  ];
  return lines.length === 0 ? '' : [`Address lock: not yet recorded (run \`${UPDATE_COMMAND}\` to record):`, ...lines].join('\n');
}

function typeOf(address: string): string {
  return address.slice(0, address.indexOf('.'));
}

function sortAddresses(addresses: string[]): string[] {
  // Plain code-point order: the same on every machine and locale, so the record never reorders.
  return [...addresses].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}
