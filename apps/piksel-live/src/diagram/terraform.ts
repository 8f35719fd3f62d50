import { readFileSync } from 'fs';
import { join } from 'path';

/**
 * The synthesized estate as the pictures read it: every stack's Terraform JSON, and the
 * references between resources, followed across stacks through `terraform_remote_state`
 * (a spoke reads the hub's route tables and zones from the hub's state).
 */

/** One resource block of a stack, by type and Terraform name. */
export interface Resource {
  readonly stack: string;
  readonly type: string;
  readonly name: string;
  readonly body: Record<string, any>;
}

/** The parts of a synthesized `cdk.tf.json` the pictures read. */
export interface TerraformJson {
  readonly resource?: Record<string, Record<string, Record<string, any>>>;
  readonly data?: Record<string, Record<string, Record<string, any>>>;
  readonly output?: Record<string, { readonly value: unknown }>;
  readonly provider?: Record<string, Array<Record<string, any>>>;
  readonly terraform?: { readonly backend?: { readonly s3?: { readonly bucket: string; readonly key: string } } };
}

/** One synthesized stack, with the account and environment of its default AWS provider. */
export interface Stack {
  readonly name: string;
  /** The account the default `aws` provider may touch (`allowed_account_ids`). */
  readonly account: string;
  /** The `Environment` default tag of the default `aws` provider. */
  readonly environment: string;
  readonly json: TerraformJson;
}

/** Reads every stack an `app.synth()` wrote into `outdir`, in `order` (the app's, which is apply order). */
export function readStacks(outdir: string, order: string[]): Stack[] {
  const manifest = JSON.parse(readFileSync(join(outdir, 'manifest.json'), 'utf-8')) as {
    stacks: Record<string, { synthesizedStackPath: string }>;
  };
  return order.filter((name) => name in manifest.stacks).map((name) => {
    const json = JSON.parse(readFileSync(join(outdir, manifest.stacks[name].synthesizedStackPath), 'utf-8')) as TerraformJson;
    const aws = (json.provider?.aws ?? []).find((p) => p.alias === undefined) ?? {};
    return {
      name,
      json,
      account: aws.allowed_account_ids?.[0] ?? '',
      environment: aws.default_tags?.[0]?.tags?.Environment ?? name,
    };
  });
}

/** A resource named in an expression: `aws_vpc.Vpc_8378EB38` in `${aws_vpc.Vpc_8378EB38.id}`. */
const RESOURCE_REF = /(?<![.\w])([a-z][a-z0-9]*_[a-z0-9_]+)\.([A-Za-z][A-Za-z0-9_-]*)/g;
/** A remote-state output: `data.terraform_remote_state.HubState.outputs.transit_gateway_id`. */
const REMOTE_OUTPUT = /data\.terraform_remote_state\.([A-Za-z0-9_-]+)\.outputs\.([A-Za-z0-9_]+)/g;

/** Every `${…}` expression inside a value (strings, arrays and objects, at any depth). */
function expressions(value: unknown): string[] {
  if (typeof value === 'string') return [...value.matchAll(/\$\{([^}]*)\}/g)].map((m) => m[1]);
  if (Array.isArray(value)) return value.flatMap(expressions);
  if (value && typeof value === 'object') return Object.values(value).flatMap(expressions);
  return [];
}

/** The whole estate: stacks in apply order, and reference resolution across them. */
export class Estate {
  constructor(public readonly stacks: Stack[]) {}

  public stack(name: string): Stack | undefined {
    return this.stacks.find((s) => s.name === name);
  }

  /** Every resource of `type`, in stack order then name order (`stacks` narrows to some stacks). */
  public resources(type: string, stacks: string[] = this.stacks.map((s) => s.name)): Resource[] {
    return this.stacks
      .filter((s) => stacks.includes(s.name))
      .flatMap((s) => Object.entries(s.json.resource?.[type] ?? {})
        .sort(([a], [b]) => compare(a, b))
        .map(([name, body]) => ({ stack: s.name, type, name, body })));
  }

  /** The resource a reference names, if the stack holds it. */
  public resource(stack: string, type: string, name: string): Resource | undefined {
    const body = this.stack(stack)?.json.resource?.[type]?.[name];
    return body ? { stack, type, name, body } : undefined;
  }

  /**
   * The resources a value refers to, following remote-state outputs into the stack whose backend
   * holds that state. Data sources other than remote state are not resources and are skipped.
   */
  public targets(stack: string, value: unknown, depth = 0): Resource[] {
    const found: Resource[] = [];
    for (const expression of expressions(value)) {
      for (const [, source, output] of expression.matchAll(REMOTE_OUTPUT)) {
        const owner = this.stateOwner(stack, source);
        const out = owner?.json.output?.[output];
        if (owner && out && depth < 4) found.push(...this.targets(owner.name, out.value, depth + 1));
      }
      for (const [, type, name] of expression.replace(REMOTE_OUTPUT, '').matchAll(RESOURCE_REF)) {
        if (type === 'terraform_remote_state') continue;
        const target = this.resource(stack, type, name);
        if (target) found.push(target);
      }
    }
    return found;
  }

  /** The first resource of `type` a value refers to. */
  public target(stack: string, value: unknown, type: string): Resource | undefined {
    return this.targets(stack, value).find((r) => r.type === type);
  }

  /** The literal value of a remote-state output, when the owning stack wrote a literal (a queue or role name). */
  public literal(stack: string, value: unknown): string | undefined {
    if (typeof value !== 'string') return undefined;
    const match = /^\$\{data\.terraform_remote_state\.([A-Za-z0-9_-]+)\.outputs\.([A-Za-z0-9_]+)\}$/.exec(value);
    if (!match) return value.includes('${') ? undefined : value;
    const owner = this.stateOwner(stack, match[1]);
    return owner ? this.literal(owner.name, owner.json.output?.[match[2]]?.value) : undefined;
  }

  /** The stack whose S3 backend holds the state a `terraform_remote_state` data source reads. */
  private stateOwner(stack: string, source: string): Stack | undefined {
    const config = this.stack(stack)?.json.data?.terraform_remote_state?.[source]?.config;
    if (!config) return undefined;
    return this.stacks.find((s) => s.json.terraform?.backend?.s3?.bucket === config.bucket
      && s.json.terraform?.backend?.s3?.key === config.key);
  }
}

/** An IAM policy statement, as the pictures read it. */
export interface Statement {
  readonly Effect?: string;
  readonly Action?: string | string[];
  readonly Resource?: string | string[];
  readonly Principal?: Record<string, string | string[]>;
  readonly Condition?: Record<string, Record<string, unknown>>;
}

/** The statements of a policy document (a JSON string in the Terraform JSON). */
export function statements(policy: unknown): Statement[] {
  if (typeof policy !== 'string') return [];
  // Terraform interpolates before it parses, so `${replace(x, "https://", "")}` may hold bare quotes.
  const json = policy.replace(/\$\{[^}]*\}/g, (expression) => expression.replace(/(?<!\\)"/g, '\\"'));
  try {
    const doc = JSON.parse(json) as { Statement?: Statement | Statement[] };
    return list(doc.Statement);
  } catch {
    return [];
  }
}

/** A value that may be one or many, as a list. */
export function list<T>(value: T | T[] | undefined): T[] {
  if (value === undefined) return [];
  return Array.isArray(value) ? value : [value];
}

/** Plain code-unit order: the same on every machine, whatever its locale. */
export function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The account of an IAM ARN (`arn:aws:iam::236122835646:root` → `236122835646`). */
export function arnAccount(arn: string): string | undefined {
  return /^arn:aws[a-z-]*:[a-z0-9-]+:[a-z0-9-]*:(\d{12}):/.exec(arn)?.[1];
}
