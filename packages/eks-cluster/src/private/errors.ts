import { Token } from 'cdktf';
import { IConstruct } from 'constructs';

/**
 * A synth-time error that names the construct path, the field, the value received and the fix.
 */
export function invalidProp(scope: IConstruct, field: string, value: unknown, fix: string): Error {
  return new Error(`${scope.node.path}: ${field} is ${JSON.stringify(value)}; ${fix}`);
}

/** Fails unless `value` is absent or a whole number from `min` to `max`. */
export function checkWholeRange(scope: IConstruct, field: string, value: number | undefined, min: number, max: number, unit: string): void {
  if (value !== undefined && !(Number.isInteger(value) && value >= min && value <= max)) {
    throw invalidProp(scope, field, value, `use a whole number of ${unit} from ${min} to ${max}`);
  }
}

/** A 12-digit AWS account ID. */
export const ACCOUNT_ID = /^\d{12}$/;

/** Lower-case kebab-case names: `piksel-hub`, `dev`. */
export const KEBAB_CASE = /^[a-z][a-z0-9-]*[a-z0-9]$/;

/** Fails when `value` is a resolved string that is not a 12-digit account ID. */
export function checkAccount(scope: IConstruct, field: string, value: string): void {
  if (!Token.isUnresolved(value) && !ACCOUNT_ID.test(value)) {
    throw invalidProp(scope, field, value, 'use a 12-digit AWS account ID');
  }
}
