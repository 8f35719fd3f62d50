import { existsSync, readdirSync, readFileSync } from 'fs';
import { join } from 'path';
import { asArray, asObject, asString } from './yaml-file';

/** One synthesized stack: `cdktf.out/stacks/<name>/cdk.tf.json`. */
export interface TerraformStack {
  readonly name: string;
  readonly json: Record<string, unknown>;
  /** The account the stack's default AWS provider is locked to (`allowed_account_ids`). */
  readonly account?: string;
  /** The default AWS provider's region. */
  readonly region?: string;
}

/** A resource block of a stack: its type, its logical name and its arguments. */
export interface TerraformResource {
  readonly stack: TerraformStack;
  readonly type: string;
  readonly name: string;
  readonly config: Record<string, unknown>;
}

/** The stacks of a `cdktf.out` directory (or of its `stacks` directory), by name. */
export function readStacks(dir: string): Map<string, TerraformStack> {
  const stacksDir = existsSync(join(dir, 'stacks')) ? join(dir, 'stacks') : dir;
  const stacks = new Map<string, TerraformStack>();
  for (const name of readdirSync(stacksDir).sort()) {
    const file = join(stacksDir, name, 'cdk.tf.json');
    if (!existsSync(file)) continue;
    const json = JSON.parse(readFileSync(file, 'utf-8')) as Record<string, unknown>;
    const provider = asArray(asObject(json.provider)?.aws).map(asObject).find((p) => p !== undefined && p.alias === undefined);
    stacks.set(name, {
      name,
      json,
      account: asString(asArray(provider?.allowed_account_ids)[0]),
      region: asString(provider?.region),
    });
  }
  return stacks;
}

/** The resources of `stacks`, optionally of one type. */
export function resources(stacks: Iterable<TerraformStack>, type?: string): TerraformResource[] {
  const found: TerraformResource[] = [];
  for (const stack of stacks) {
    for (const [resourceType, blocks] of Object.entries(asObject(stack.json.resource) ?? {})) {
      if (type !== undefined && resourceType !== type) continue;
      for (const [name, config] of Object.entries(asObject(blocks) ?? {})) {
        found.push({ stack, type: resourceType, name, config: asObject(config) ?? {} });
      }
    }
  }
  return found;
}

/** What a value of the synthesized JSON is at apply time, as far as the JSON tells. */
export interface ResolvedValue {
  /** The value as written, maybe a Terraform expression. */
  readonly raw: string;
  /** The value, when the JSON fixes it (a literal, or an expression that leads to one). */
  readonly literal?: string;
  /** The resource type an expression ends at (`aws_iam_role`), when it does. */
  readonly resourceType?: string;
}

const REMOTE_OUTPUT = /^\$\{data\.terraform_remote_state\.([\w-]+)\.outputs\.([\w-]+)\}$/;
const RESOURCE_ATTRIBUTE = /^\$\{([a-z0-9_]+)\.([\w-]+)\.([\w.[\]]+)\}$/;
/** Remote state is read from `<stack>/terraform.tfstate` (see the app's stacks). */
const STATE_KEY = /^(.+)\/terraform\.tfstate$/;
/** Expressions followed at most this deep (stack → remote output → resource). */
const MAX_DEPTH = 6;

/**
 * Resolves a value of `stack` as far as the synthesized JSON allows: a literal as it is; a remote
 * state output (`${data.terraform_remote_state.X.outputs.Y}`) through the stack whose state key the
 * data source reads; a resource attribute when the resource sets it literally (a bucket's `bucket`),
 * and an IAM role's `arn` from its name and the stack's account. Anything else is known at apply.
 */
export function resolveValue(stacks: Map<string, TerraformStack>, stack: TerraformStack, raw: string, depth = 0): ResolvedValue {
  if (!raw.includes('${')) return { raw, literal: raw };
  if (depth >= MAX_DEPTH) return { raw };
  const remote = REMOTE_OUTPUT.exec(raw);
  if (remote) {
    const config = asObject(asObject(asObject(asObject(stack.json.data)?.terraform_remote_state)?.[remote[1]])?.config);
    const target = stacks.get(STATE_KEY.exec(asString(config?.key) ?? '')?.[1] ?? '');
    const output = asString(asObject(asObject(target?.json.output)?.[remote[2]])?.value);
    if (target === undefined || output === undefined) return { raw };
    return { ...resolveValue(stacks, target, output, depth + 1), raw };
  }
  const attribute = RESOURCE_ATTRIBUTE.exec(raw);
  if (attribute) {
    const [, type, name, attr] = attribute;
    const config = asObject(asObject(asObject(stack.json.resource)?.[type])?.[name]);
    return { raw, resourceType: type, literal: config === undefined ? undefined : attributeLiteral(stack, type, config, attr) };
  }
  return { raw };
}

function attributeLiteral(stack: TerraformStack, type: string, config: Record<string, unknown>, attr: string): string | undefined {
  const direct = asString(navigate(config, attr));
  if (direct !== undefined && !direct.includes('${')) return direct;
  const name = asString(config.name);
  if (type === 'aws_iam_role' && attr === 'arn' && name !== undefined && !name.includes('${') && stack.account !== undefined) {
    const path = asString(config.path) ?? '/';
    return `arn:aws:iam::${stack.account}:role${path}${name}`;
  }
  if (type === 'aws_s3_bucket' && (attr === 'id' || attr === 'bucket')) return asString(config.bucket);
  return undefined;
}

/** `metadata[0].name` of a resource's arguments; cdktf writes single blocks as objects, so `[0]` of an object is the object. */
function navigate(config: Record<string, unknown>, attr: string): unknown {
  let current: unknown = config;
  for (const step of attr.split(/\.|(?=\[)/)) {
    const index = /^\[(\d+)\]$/.exec(step);
    if (index !== null) current = Array.isArray(current) ? current[Number(index[1])] : current;
    else current = asObject(current)?.[step];
  }
  return current;
}

/** Parses each string of a Helm release's `values` (YAML or JSON) and merges them, later over earlier. */
export function helmValues(config: Record<string, unknown>): Record<string, unknown> {
  let merged: Record<string, unknown> = {};
  for (const entry of asArray(config.values)) {
    const text = asString(entry);
    if (text === undefined) continue;
    try {
      merged = deepMerge(merged, asObject(JSON.parse(text)) ?? {});
    } catch {
      // Not JSON (cdktf writes JSON; a hand-written release may carry YAML): left out.
    }
  }
  for (const entry of asArray(config.set)) {
    const set = asObject(entry);
    const name = asString(set?.name);
    if (name === undefined) continue;
    const keys = name.split(/(?<!\\)\./).map((key) => key.replace(/\\\./g, '.'));
    let target = merged;
    for (const key of keys.slice(0, -1)) target = (target[key] = asObject(target[key]) ?? {});
    target[keys[keys.length - 1]] = set?.value;
  }
  return merged;
}

function deepMerge(base: Record<string, unknown>, over: Record<string, unknown>): Record<string, unknown> {
  const merged = { ...base };
  for (const [key, value] of Object.entries(over)) {
    const left = asObject(merged[key]);
    const right = asObject(value);
    merged[key] = left !== undefined && right !== undefined ? deepMerge(left, right) : value;
  }
  return merged;
}
