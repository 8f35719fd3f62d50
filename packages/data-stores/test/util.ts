/** Synthesis helpers for this package's tests: what a construct adds to a stack, parsed. */
import { TerraformStack, Testing } from 'cdktf';
import { Construct } from 'constructs';
import { IGrantee } from '../src';

/** A synthesized stack, parsed. */
export interface Synthesized {
  readonly '//'?: any;
  readonly 'resource'?: Record<string, Record<string, any>>;
}

/** Synthesizes what `build` adds to a fresh stack and parses the result. */
export function synth(build: (stack: TerraformStack) => void): Synthesized {
  return JSON.parse(Testing.synthScope((scope) => build(scope as TerraformStack)));
}

/** Every resource of `type`, by logical name. */
export function resourcesOf(synthesized: Synthesized, type: string): Record<string, any> {
  return synthesized.resource?.[type] ?? {};
}

/** The only resource of `type`; fails when there is not exactly one. */
export function onlyResource(synthesized: Synthesized, type: string): any {
  const all = Object.values(resourcesOf(synthesized, type));
  if (all.length !== 1) {
    throw new Error(`expected exactly one ${type}, found ${all.length}`);
  }
  return all[0];
}

/** The policy document of an IAM or S3 resource, parsed. */
export function policyOf(resource: { policy: string }): { Version: string; Statement: any[] } {
  return JSON.parse(resource.policy);
}

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
