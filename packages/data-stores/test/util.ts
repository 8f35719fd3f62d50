/** Synthesis helpers for this package's tests: the libraries' shared ones, plus what only data-stores needs. */
export { onlyResource, policyOf, resourcesOf, synth, Synthesized } from '../../secrets/test/util';
import { Construct } from 'constructs';
import { IGrantee } from '../src';

/** Every key anywhere in `value`, at any depth. */
export function keysDeep(value: unknown): string[] {
  if (Array.isArray(value)) return value.flatMap(keysDeep);
  if (value && typeof value === 'object') {
    return Object.entries(value).flatMap(([key, inner]) => [key, ...keysDeep(inner)]);
  }
  return [];
}

/** A grantee for tests: an IAM role known by name, as an IRSA role of @piksel/eks-cluster is. */
export function role(scope: Construct, id: string, roleName: string): IGrantee {
  const grantee = new Construct(scope, id) as Construct & { granteeRoleName: string };
  grantee.granteeRoleName = roleName;
  return grantee;
}
