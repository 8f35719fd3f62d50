import { Finding } from './findings';
import { groupOf, helmRelease } from './objects';
import { FileRole } from './repository';
import { error, RuleContext } from './rule-context';

/**
 * `estate-owned`: an object the estate creates (same group, kind, namespace and name), or a
 * HelmRelease of a chart the estate installs with Terraform. Two owners overwrite each other, and
 * Flux's pruning deletes what Terraform expects to exist.
 */
export function estateOwnedRule(context: RuleContext): Finding[] {
  const { estate } = context;
  const findings: Finding[] = [];
  for (const o of context.objects) {
    if (o.role !== FileRole.MANIFEST) continue;
    const twin = estate.objects.find((e) => e.kind === o.kind && e.name === o.name && (e.namespace ?? o.namespace) === o.namespace &&
      (e.apiVersion === undefined || groupOf(e.apiVersion) === groupOf(o.apiVersion)));
    if (twin !== undefined) {
      findings.push(error('estate-owned', o.file, o.doc.line,
        `${o.kind} ${o.namespace === undefined ? '' : `${o.namespace}/`}${o.name} is created by the estate (stack ${twin.stack}); applied here too, Flux and Terraform overwrite each other and pruning deletes it`,
        'remove it from the repository; change it in the estate if it needs to differ'));
    }
    const chart = helmRelease(o)?.chart;
    const installed = chart === undefined ? undefined : estate.releases.find((r) => r.chart === chart);
    if (installed !== undefined) {
      findings.push(error('estate-owned', o.file, o.doc.line,
        `HelmRelease ${o.name} installs chart ${chart}, which the estate installs with Terraform (release ${installed.namespace}/${installed.name}, version ${installed.version}, stack ${installed.stack})`,
        'remove the HelmRelease (and its HelmRepository); set the values in the estate\'s construct instead'));
    }
  }
  return findings;
}
