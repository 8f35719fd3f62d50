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
