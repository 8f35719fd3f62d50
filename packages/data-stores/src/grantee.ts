import { IConstruct } from 'constructs';

/**
 * An IAM role that grants attach inline policies to, identified by name.
 *
 * The IRSA roles of `@piksel/eks-cluster` (`ServiceAccountRole`) and the grantees of
 * `@piksel/secrets` (`Grantee.fromRoleName`) already have this shape, so this library takes them
 * without depending on either package.
 *
 * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_managed-vs-inline.html
 */
export interface IGrantee extends IConstruct {
  /** Name of the IAM role (not its ARN) that grants attach their inline policies to. */
  readonly granteeRoleName: string;
}
