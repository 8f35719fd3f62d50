import { Estate } from './estate';
import { Finding, RuleId, Severity } from './findings';
import { ManifestObject } from './objects';
import { RepositoryScan } from './repository';

/** What every rule reads: the environment's estate, what Flux reaches and the objects it applies. */
export interface RuleContext {
  /** The repository's root directory. */
  readonly root: string;
  readonly environment: string;
  readonly estate: Estate;
  readonly scan: RepositoryScan;
  readonly objects: ManifestObject[];
}

/** A rule: reads the context, returns its findings. */
export type Rule = (context: RuleContext) => Finding[];

/** An error finding. */
export function error(rule: RuleId, file: string, line: number, message: string, fix: string): Finding {
  return { rule, severity: Severity.ERROR, file, line, message, fix };
}

/** A warning finding. */
export function warning(rule: RuleId, file: string, line: number, message: string, fix: string): Finding {
  return { rule, severity: Severity.WARNING, file, line, message, fix };
}

/** `a, b and c`. */
export function list(items: readonly string[]): string {
  return items.length <= 1 ? items.join('') : `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}
