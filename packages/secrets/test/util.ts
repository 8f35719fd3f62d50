/**
 * Synthesis helpers shared by the libraries' tests (network-hub and spoke-vpc import this file):
 * what a construct adds to a stack, parsed, and lookups by resource type.
 */
import { Testing, TerraformStack } from 'cdktf';

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

/** The policy document of an IAM or KMS resource, parsed. */
export function policyOf(resource: { policy: string }): { Version: string; Statement: any[] } {
  return JSON.parse(resource.policy);
}
