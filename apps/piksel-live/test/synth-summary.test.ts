import { mkdtempSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { App } from 'cdktf';
import { syntheticEnvironments } from '../src/bench/synthetic';
import { buildEstate } from '../src/main';
import { formatSummary, serviceOf, summarize } from '../src/synth-summary';

describe('synth summary', () => {
  const outdir = mkdtempSync(join(tmpdir(), 'piksel-summary-'));
  afterAll(() => rmSync(outdir, { recursive: true, force: true }));

  test('names the service of a resource type, the VPC family as vpc', () => {
    expect(serviceOf('aws_iam_role_policy')).toBe('iam');
    expect(serviceOf('aws_route_table_association')).toBe('vpc');
    expect(serviceOf('aws_ec2_transit_gateway')).toBe('ec2');
    expect(serviceOf('helm_release')).toBe('helm');
  });

  test('counts every resource of every stack, in the order given, with a total', () => {
    const app = new App({ outdir });
    buildEstate(app);
    app.synth();
    const order = app.node.children.map((stack) => stack.node.id);
    const summaries = summarize(outdir, order);
    expect(summaries.map((s) => s.stack)).toEqual(order);
    const hub = summaries.find((s) => s.stack === 'hub')!;
    const hubJson = app.node.children.find((stack) => stack.node.id === 'hub')!;
    const resources = (hubJson as any).toTerraform().resource as Record<string, object>;
    expect(hub.resources).toBe(Object.values(resources).reduce((n, instances) => n + Object.keys(instances).length, 0));
    expect(hub.byService.ecr).toBe(33);
    const table = formatSummary(summaries);
    expect(table.split('\n')[0]).toMatch(/^stack\s+resources\s+by service$/);
    expect(table).toMatch(new RegExp(`total\\s+${summaries.reduce((n, s) => n + s.resources, 0)}\\s+in ${order.length} stacks`));
  });
});

describe('benchmark environments', () => {
  test('are spokes the hub admits and the estate builds like dev', () => {
    const extra = syntheticEnvironments(2);
    expect(extra.map((env) => [env.name, env.cidrBlock, env.clusterName])).toEqual([
      ['bench-0', '10.10.0.0/16', 'piksel-bench-0'],
      ['bench-1', '10.11.0.0/16', 'piksel-bench-1'],
    ]);
    const app = new App({ outdir: mkdtempSync(join(tmpdir(), 'piksel-bench-test-')) });
    buildEstate(app, { extraEnvironments: extra });
    const ids = app.node.children.map((stack) => stack.node.id);
    expect(ids).toEqual(expect.arrayContaining(['bench-0', 'bench-0-data', 'bench-0-bootstrap', 'bench-1-bootstrap-nodes']));
    const hub = (app.node.findChild('hub') as any).toTerraform();
    const principals = Object.values(hub.resource.aws_ram_principal_association).map((p: any) => p.principal);
    expect(principals).toEqual(expect.arrayContaining(['200000000000', '200000000001']));
  });
});
