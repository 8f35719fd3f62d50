import { checkKubernetesObjectName, LibraryVersion } from '@piksel/core';
import { ITerraformDependable } from 'cdktf';
import { Construct } from 'constructs';
import { AddonOptions, checkAddonOptions, checkNamespace, checkServiceAccountAnnotations } from './addon-options';
import { helmRelease, placementValues, requirePlacement } from './private/helm-addon';

/** The External Secrets Operator's chart repository. */
const CHART_REPOSITORY = 'https://charts.external-secrets.io';
/** The chart's documented namespace. */
const DEFAULT_NAMESPACE = 'external-secrets';
/** The service account the estate's IRSA role (and Pod Identity association) names: `external-secrets/external-secrets`. */
const DEFAULT_SERVICE_ACCOUNT = 'external-secrets';

/** Properties of `ExternalSecrets`. */
export interface ExternalSecretsProps extends AddonOptions {
  /**
   * Namespace of the operator's controller, webhook and cert controller.
   *
   * @default 'external-secrets'
   * @see https://external-secrets.io/latest/introduction/getting-started/
   */
  readonly namespace?: string;

  /**
   * Name of the controller's service account: the identity that reads Secrets Manager for every
   * `ClusterSecretStore` without an `auth` block (see `SecretsManagerStore`).
   *
   * @default 'external-secrets'
   * @see https://external-secrets.io/latest/provider/aws-access/
   */
  readonly serviceAccountName?: string;

  /**
   * Annotations of the controller's service account: `{ 'eks.amazonaws.com/role-arn': <role ARN> }`
   * for IRSA, `{}` for EKS Pod Identity (the association names the service account; the pod
   * needs no annotation).
   *
   * @default - none
   * @see https://docs.aws.amazon.com/eks/latest/userguide/associate-service-account-role.html
   */
  readonly serviceAccountAnnotations?: { [key: string]: string };
}

/**
 * The External Secrets Operator, installed with Helm from `https://charts.external-secrets.io`
 * with its CRDs (`installCRDs`): it copies values from AWS Secrets Manager into Kubernetes
 * Secrets for `ExternalSecret` objects, through a `ClusterSecretStore` such as
 * `SecretsManagerStore`.
 *
 * The controller's service account carries the AWS identity (IRSA annotation or Pod Identity
 * association); the controller, webhook and cert controller share the node selector and
 * tolerations, which the app judges against the cluster's NodePools and Fargate profiles.
 *
 * @see https://external-secrets.io/latest/introduction/getting-started/
 */
export class ExternalSecrets extends Construct {
  /** Namespace the operator runs in. */
  public readonly externalSecretsNamespace: string;
  /** Name of the controller's service account. */
  public readonly serviceAccountName: string;
  /** The Helm release, for ordering what needs the operator's CRDs or webhook. */
  public readonly release: ITerraformDependable;

  constructor(scope: Construct, id: string, props: ExternalSecretsProps) {
    super(scope, id);
    this.validate(props);
    const namespace = props.namespace ?? DEFAULT_NAMESPACE;
    const serviceAccountName = props.serviceAccountName ?? DEFAULT_SERVICE_ACCOUNT;
    const placement = placementValues(props);

    this.release = helmRelease(this, 'Release', {
      name: 'external-secrets',
      repository: CHART_REPOSITORY,
      chart: 'external-secrets',
      version: props.version,
      namespace,
      values: {
        installCRDs: true,
        serviceAccount: { create: true, name: serviceAccountName, annotations: props.serviceAccountAnnotations ?? {} },
        ...placement,
        webhook: placement,
        certController: placement,
      },
    });
    requirePlacement(this, props, { description: 'external-secrets controller, webhook and cert controller', namespace });
    LibraryVersion.record(this, __dirname);

    this.externalSecretsNamespace = namespace;
    this.serviceAccountName = serviceAccountName;
  }

  private validate(props: ExternalSecretsProps): void {
    checkAddonOptions(this, props);
    checkNamespace(this, props.namespace);
    if (props.serviceAccountName !== undefined) checkKubernetesObjectName(this, 'serviceAccountName', props.serviceAccountName);
    checkServiceAccountAnnotations(this, 'serviceAccountAnnotations', props.serviceAccountAnnotations);
  }
}
