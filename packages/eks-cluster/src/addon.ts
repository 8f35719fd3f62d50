import { EksAddon } from '@cdktf/provider-aws/lib/eks-addon';
import { checkIamRoleArn, invalidProp } from '@piksel/core';
import { ITerraformDependable, Token } from 'cdktf';
import { Construct } from 'constructs';

/** Options of an EKS add-on. */
export interface AddonOptions {
  /**
   * Version of the add-on, e.g. `v1.20.4-eksbuild.1`.
   *
   * @default - EKS's default version for the cluster's Kubernetes version
   */
  readonly addonVersion?: string;

  /**
   * ARN of the IRSA role the add-on's service account uses.
   *
   * @default - the node's role (none for add-ons that call no AWS API)
   */
  readonly serviceAccountRoleArn?: string;

  /**
   * Add-on configuration as a JSON document (see `aws eks describe-addon-configuration`).
   *
   * @default - the add-on's defaults
   */
  readonly configurationValues?: string;
}

/** Properties of an `Addon`. */
export interface AddonProps extends AddonOptions {
  /** Name of the cluster, as a reference to the cluster resource. */
  readonly clusterName: string;
  /** Name of the add-on, e.g. `coredns`. */
  readonly addonName: string;
  /**
   * Resources the add-on waits for (CoreDNS waits for its Fargate profile).
   *
   * @default - none
   */
  readonly dependsOn?: ITerraformDependable[];
}

const ADDON_NAME = /^[a-z0-9][a-z0-9-]{0,99}$/;
const ADDON_VERSION = /^v\d+\.\d+\.\d+(-eksbuild\.\d+)?$/;

/**
 * An EKS managed add-on. Conflicts with fields edited in the cluster are overwritten on create
 * and update: the add-on's configuration lives here, not in the cluster.
 *
 * @see https://docs.aws.amazon.com/eks/latest/userguide/eks-add-ons.html
 */
export class Addon extends Construct {
  /** Name of the add-on. */
  public readonly addonName: string;

  constructor(scope: Construct, id: string, props: AddonProps) {
    super(scope, id);
    if (!ADDON_NAME.test(props.addonName)) {
      throw invalidProp(this, 'addonName', props.addonName, 'use an EKS add-on name such as "coredns"');
    }
    if (props.addonVersion !== undefined && !Token.isUnresolved(props.addonVersion) && !ADDON_VERSION.test(props.addonVersion)) {
      throw invalidProp(this, 'addonVersion', props.addonVersion, 'use an EKS add-on version such as "v1.11.4-eksbuild.2"');
    }
    if (props.serviceAccountRoleArn !== undefined) checkIamRoleArn(this, 'serviceAccountRoleArn', props.serviceAccountRoleArn);
    if (props.configurationValues !== undefined && !Token.isUnresolved(props.configurationValues)) {
      try {
        JSON.parse(props.configurationValues);
      } catch {
        throw invalidProp(this, 'configurationValues', props.configurationValues, 'give a JSON document (JSON.stringify the configuration)');
      }
    }

    new EksAddon(this, 'Resource', {
      clusterName: props.clusterName,
      addonName: props.addonName,
      addonVersion: props.addonVersion,
      serviceAccountRoleArn: props.serviceAccountRoleArn,
      configurationValues: props.configurationValues,
      resolveConflictsOnCreate: 'OVERWRITE',
      resolveConflictsOnUpdate: 'OVERWRITE',
      dependsOn: props.dependsOn,
    });
    this.addonName = props.addonName;
  }
}
