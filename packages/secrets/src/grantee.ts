import { checkIamRoleName } from '@piksel/core';
import { Construct, IConstruct } from 'constructs';


/**
 * Something that can be granted permissions: an IAM role, identified by name.
 *
 * Grants attach an inline policy to the role, so any role works: one this app creates (an IRSA
 * role of `@piksel/eks-cluster`, say) or one that already exists (`Grantee.fromRoleName`).
 */
export interface IGrantee extends IConstruct {
  /** Name of the IAM role that grants attach their policies to. */
  readonly granteeRoleName: string;
}

/**
 * A grantee for an IAM role referenced by name.
 */
export class Grantee extends Construct implements IGrantee {
  /**
   * References an existing IAM role by name.
   *
   * @param roleName the role's name (not its ARN), e.g. `piksel-dev-external-secrets`
   */
  public static fromRoleName(scope: Construct, id: string, roleName: string): IGrantee {
    const grantee = new Grantee(scope, id, roleName);
    checkIamRoleName(grantee, 'roleName', roleName);
    return grantee;
  }

  public readonly granteeRoleName: string;

  private constructor(scope: Construct, id: string, roleName: string) {
    super(scope, id);
    this.granteeRoleName = roleName;
  }
}
