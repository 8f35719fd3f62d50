import { Finding } from './findings';
import { groupOf } from './objects';
import { FileRole } from './repository';
import { error, RuleContext } from './rule-context';

/**
 * `ingress-unserved`: an `Ingress` in an estate that serves the Gateway API only. ingress-nginx
 * was retired in March 2026 and the estate installs no Ingress controller, so an Ingress gets no
 * address, no certificate and no DNS record. The fix names the estate's Gateway and, for each
 * host, the HTTPS listener an `HTTPRoute` attaches to.
 */
export function ingressRule(context: RuleContext): Finding[] {
  const gateway = context.estate.objects.find((o) => o.kind === 'Gateway' && o.apiVersion !== undefined && groupOf(o.apiVersion) === 'gateway.networking.k8s.io');
  const findings: Finding[] = [];
  for (const o of context.objects) {
    if (o.role !== FileRole.MANIFEST || o.kind !== 'Ingress' || groupOf(o.apiVersion) !== 'networking.k8s.io') continue;
    const spec = (o.value.spec ?? {}) as { rules?: Array<{ host?: string }> };
    const hosts = (spec.rules ?? []).map((rule) => rule.host).filter((host): host is string => typeof host === 'string');
    const where = gateway === undefined
      ? 'the Gateway the estate makes (none in this environment yet)'
      : `Gateway ${gateway.namespace}/${gateway.name} (parentRefs name \${gatewayName}, namespace \${gatewayNamespace})`;
    const listeners = hosts.map((host) => `sectionName https-${host.replace(/\./g, '-')} for ${host}`);
    findings.push(error('ingress-unserved', o.file, o.doc.line,
      `Ingress ${o.namespace === undefined ? '' : `${o.namespace}/`}${o.name ?? '?'} has no controller in this estate: it serves the Gateway API only (ingress-nginx was retired in March 2026)`,
      `replace it with an HTTPRoute attached to ${where}${listeners.length > 0 ? `, ${listeners.join(', ')}` : ''}; ` +
      'each rule\'s host becomes hostnames, each path a match with a backendRef to the same Service and port; drop the cert-manager and nginx annotations: the Gateway\'s listener holds the certificate'));
  }
  return findings;
}
