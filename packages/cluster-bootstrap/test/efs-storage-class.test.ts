import { Token } from 'cdktf';
import { onlyResource, synth } from '../../secrets/test/util';
import { EfsStorageClass, EfsStorageClassProps, VolumeReclaimPolicy } from '../src/efs-storage-class';

const FILE_SYSTEM = 'fs-0123456789abcdef0';
const PROPS: EfsStorageClassProps = { fileSystemId: FILE_SYSTEM };

function storageClass(props: Partial<EfsStorageClassProps> = {}): any {
  return onlyResource(synth((stack) => new EfsStorageClass(stack, 'Efs', { ...PROPS, ...props })), 'kubernetes_storage_class_v1');
}

describe('EfsStorageClass', () => {
  test('provisions each claim as an access point on the file system, under /dynamic, owner-only', () => {
    expect(storageClass()).toMatchObject({
      metadata: { name: 'efs' },
      storage_provisioner: 'efs.csi.aws.com',
      parameters: { provisioningMode: 'efs-ap', fileSystemId: FILE_SYSTEM, directoryPerms: '700', basePath: '/dynamic' },
    });
  });

  test('retains volumes when their claims are deleted, so home directories survive', () => {
    expect(storageClass().reclaim_policy).toBe('Retain');
  });

  test('mounts over TLS and binds at once', () => {
    const resource = storageClass();
    expect(resource.mount_options).toEqual(['tls']);
    expect(resource.volume_binding_mode).toBe('Immediate');
  });

  test('takes a name, permissions, base path, reclaim policy and mount options', () => {
    let efs: EfsStorageClass | undefined;
    const resource = onlyResource(synth((stack) => {
      efs = new EfsStorageClass(stack, 'Efs', {
        ...PROPS, name: 'efs-scratch', directoryPerms: '0750', basePath: '/scratch/argo', reclaimPolicy: VolumeReclaimPolicy.DELETE, mountOptions: ['tls', 'iam'],
      });
    }), 'kubernetes_storage_class_v1');
    expect(efs?.storageClassName).toBe('efs-scratch');
    expect(resource).toMatchObject({
      metadata: { name: 'efs-scratch' },
      parameters: { directoryPerms: '0750', basePath: '/scratch/argo' },
      reclaim_policy: 'Delete',
      mount_options: ['tls', 'iam'],
    });
  });

  test('passes a file system ID that is a token through', () => {
    const id = Token.asString({ Ref: 'fs' });
    expect(() => storageClass({ fileSystemId: id })).not.toThrow();
  });

  test.each<[string, Partial<EfsStorageClassProps>, RegExp]>([
    ['the file system ID is an ARN', { fileSystemId: 'arn:aws:elasticfilesystem:ap-southeast-3:326641642924:file-system/fs-0123456789abcdef0' },
      /Efs: fileSystemId is "arn:aws:elasticfilesystem:.*"; give the file system ID, "fs-" and its hex digits/],
    ['the file system ID is not hex', { fileSystemId: 'fs-piksel' }, /fileSystemId is "fs-piksel"/],
    ['the file system ID has capitals', { fileSystemId: 'fs-0123456789ABCDEF0' }, /fileSystemId is "fs-0123456789ABCDEF0"/],
    ['the permissions are not octal', { directoryPerms: '789' }, /directoryPerms is "789"; use octal permission bits/],
    ['the base path is relative', { basePath: 'dynamic' }, /basePath is "dynamic"; use an absolute path/],
    ['the base path climbs out', { basePath: '/dynamic/../etc' }, /basePath is "\/dynamic\/..\/etc"/],
    ['the base path ends with a slash', { basePath: '/dynamic/' }, /basePath is "\/dynamic\/"/],
    ['a mount option has a space', { mountOptions: ['tls', 'no resvport'] }, /mountOptions\[1\] is "no resvport"; use an EFS mount option/],
    ['the name has capitals', { name: 'EFS' }, /Efs: name is "EFS"; use a Kubernetes object name/],
  ])('fails when %s', (_name, props, message) => {
    expect(() => storageClass(props)).toThrow(message);
  });
});
