import { readdirSync, readFileSync } from 'fs';
import { join } from 'path';

/** Resource types of the VPC family, which AWS documents under "Amazon VPC", not EC2. */
const VPC_TYPES = /^aws_(vpc|subnet|route|route_table|nat_gateway|eip|internet_gateway|default_security_group|flow_log|security_group|vpc_security_group_ingress_rule)(_|$)/;

/** One synthesized stack at a glance. */
export interface StackSummary {
  readonly stack: string;
  readonly resources: number;
  /** Resources per AWS service (`ec2`, `iam`, `vpc`…), for AWS stacks; per provider otherwise. */
  readonly byService: Record<string, number>;
}

/** The service a resource type belongs to: `aws_iam_role` → `iam`, `helm_release` → `helm`. */
export function serviceOf(type: string): string {
  if (VPC_TYPES.test(type)) return 'vpc';
  const [provider, service] = type.split('_');
  return provider === 'aws' ? service : provider;
}

/** Reads the stacks under `<outdir>/stacks` (in `order`, by default by name) and counts their resources. */
export function summarize(outdir: string, order?: string[]): StackSummary[] {
  const stacksDir = join(outdir, 'stacks');
  return (order ?? readdirSync(stacksDir).sort()).map((stack) => {
    const json = JSON.parse(readFileSync(join(stacksDir, stack, 'cdk.tf.json'), 'utf-8'));
    const byService: Record<string, number> = {};
    let resources = 0;
    for (const [type, instances] of Object.entries<Record<string, unknown>>(json.resource ?? {})) {
      const count = Object.keys(instances).length;
      byService[serviceOf(type)] = (byService[serviceOf(type)] ?? 0) + count;
      resources += count;
    }
    return { stack, resources, byService };
  });
}

/** The summary as a table: stack, resource count, resources per service (most first). */
export function formatSummary(summaries: StackSummary[]): string {
  const width = Math.max(...summaries.map((s) => s.stack.length), 'stack'.length);
  const rows = summaries.map((s) => {
    const services = Object.entries(s.byService).sort(([a, x], [b, y]) => y - x || a.localeCompare(b)).map(([name, n]) => `${name} ${n}`);
    return `${s.stack.padEnd(width)}  ${String(s.resources).padStart(9)}  ${services.join(', ')}`;
  });
  const total = summaries.reduce((sum, s) => sum + s.resources, 0);
  return [
    `${'stack'.padEnd(width)}  ${'resources'.padStart(9)}  by service`,
    ...rows,
    `${'total'.padEnd(width)}  ${String(total).padStart(9)}  in ${summaries.length} stacks`,
  ].join('\n');
}

/** Prints the summary of what `app.synth()` wrote into `outdir`, stacks in `order`. */
export function printSynthSummary(outdir: string, order?: string[]): void {
  console.log(`Synthesized into ${outdir}/stacks:\n${formatSummary(summarize(outdir, order))}`);
}
