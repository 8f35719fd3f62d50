import { Manifest } from '@cdktf/provider-kubernetes/lib/manifest';
import { checkKubernetesLabelName, checkKubernetesObjectName, checkRegion, invalidProp, LibraryVersion } from '@piksel/core';
import { Construct } from 'constructs';

/** The store name `ExternalSecret`s of the estate refer to. */
const DEFAULT_NAME = 'aws-secrets-manager';

/** Properties of a `SecretsManagerStore`. */
export interface SecretsManagerStoreProps {
  /**
   * Name of the ClusterSecretStore, which `ExternalSecret`s name in `secretStoreRef`.
   *
   * @default 'aws-secrets-manager'
   * @see https://external-secrets.io/latest/api/clustersecretstore/
   */
  readonly name?: string;

  /**
   * Region of the secrets (normally the cluster's own).
   *
   * @see https://external-secrets.io/latest/provider/aws-secrets-manager/
   */
  readonly region: string;

  /**
   * Namespaces whose `ExternalSecret`s may use the store (`conditions[].namespaces`); any other
   * namespace's is refused by the controller.
   *
   * @default - every namespace
   * @see https://external-secrets.io/latest/api/clustersecretstore/
   */
  readonly namespaces?: string[];
}

/**
 * An External Secrets `ClusterSecretStore` (`external-secrets.io/v1`) for AWS Secrets Manager in
 * one region. It has no `auth` block, so the controller reads secrets with its own credentials:
 * the IRSA role or EKS Pod Identity association of its service account (see `ExternalSecrets`).
 * What it may read is therefore what that role's policy allows.
 *
 * Rendered as a `kubernetes_manifest`, which needs the External Secrets CRDs when planned: put
 * it in a stack planned after the `ExternalSecrets` release is applied.
 *
 * @see https://external-secrets.io/latest/provider/aws-secrets-manager/
 * @see https://external-secrets.io/latest/provider/aws-access/
 */
export class SecretsManagerStore extends Construct {
  /** Name of the ClusterSecretStore. */
  public readonly storeName: string;

  constructor(scope: Construct, id: string, props: SecretsManagerStoreProps) {
    super(scope, id);
    this.validate(props);
    const name = props.name ?? DEFAULT_NAME;
    const conditions = props.namespaces === undefined ? {} : { conditions: [{ namespaces: props.namespaces }] };

    new Manifest(this, 'Manifest', {
      manifest: {
        apiVersion: 'external-secrets.io/v1',
        kind: 'ClusterSecretStore',
        metadata: { name },
        spec: {
          provider: { aws: { service: 'SecretsManager', region: props.region } },
          ...conditions,
        },
      },
    });
    LibraryVersion.record(this, __dirname);

    this.storeName = name;
  }

  private validate(props: SecretsManagerStoreProps): void {
    if (props.name !== undefined) checkKubernetesObjectName(this, 'name', props.name);
    checkRegion(this, 'region', props.region);
    if (props.namespaces !== undefined && props.namespaces.length === 0) {
      throw invalidProp(this, 'namespaces', props.namespaces, 'name at least one namespace, or leave namespaces out to serve every namespace');
    }
    (props.namespaces ?? []).forEach((namespace, index) => checkKubernetesLabelName(this, `namespaces[${index}]`, namespace));
  }
}
