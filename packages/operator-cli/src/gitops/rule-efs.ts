import { Finding } from './findings';
import { groupOf } from './objects';
import { FileRole } from './repository';
import { error, RuleContext } from './rule-context';

/** The EFS CSI driver's name, in PersistentVolumes and StorageClasses. */
const EFS_DRIVER = 'efs.csi.aws.com';

/**
 * `efs-mount-without-iam`: a PersistentVolume or StorageClass of the EFS CSI driver that does not
 * mount with `tls` and `iam`. The estate's file system admits only clients that use TLS and
 * authorize with IAM (its policy refuses the rest, anonymous NFS clients included), so such a
 * volume fails to mount with "access denied by server".
 */
export function efsMountRule(context: RuleContext): Finding[] {
  const findings: Finding[] = [];
  for (const o of context.objects) {
    if (o.role !== FileRole.MANIFEST) continue;
    const spec = (o.value.spec ?? {}) as { csi?: { driver?: string }; mountOptions?: unknown };
    const isVolume = o.kind === 'PersistentVolume' && groupOf(o.apiVersion) === '' && spec.csi?.driver === EFS_DRIVER;
    const isClass = o.kind === 'StorageClass' && groupOf(o.apiVersion) === 'storage.k8s.io' && o.value.provisioner === EFS_DRIVER;
    if (!isVolume && !isClass) continue;
    const options = (isVolume ? spec.mountOptions : o.value.mountOptions) as unknown;
    const given = Array.isArray(options) ? options.map(String) : [];
    const missing = ['tls', 'iam'].filter((option) => !given.includes(option));
    if (missing.length === 0) continue;
    findings.push(error('efs-mount-without-iam', o.file, o.doc.line,
      `${o.kind} ${o.name ?? '?'} mounts EFS without ${missing.join(' and ')}: the estate's file system admits only TLS clients authorized by IAM, so the mount is refused`,
      `add mountOptions: [tls, iam]${isClass ? ', or use the estate\'s StorageClass ${efsStorageClass}' : ''}`));
  }
  return findings;
}
