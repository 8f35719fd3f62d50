import { IConstruct } from 'constructs';

/**
 * The error every library throws for bad input, in one format:
 * `<construct path>: <field> is <value>; <what to do>`.
 *
 * A plain function, not part of the jsii API: other languages see the message, not the helper.
 *
 * @param scope the construct that received the value (its path leads the message)
 * @param field the prop, as the user wrote it (`cidrBlock`, `selectors[0].namespace`)
 * @param value the value received, printed as JSON
 * @param fix what to do, starting with a verb ("use …", "give …", "remove …")
 */
export function invalidProp(scope: IConstruct, field: string, value: unknown, fix: string): Error {
  return new Error(`${scope.node.path}: ${field} is ${JSON.stringify(value)}; ${fix}`);
}

/** What a derived name is made from, for `derivedTooLong`. */
export interface DerivedFrom {
  /** The prop the user sets (`clusterName`). */
  readonly field: string;
  /** Its value. */
  readonly value: string;
  /** The characters the derived name adds around it (`-karpenter-node` is 15). */
  readonly overhead: number;
  /**
   * The prop that names the derived value outright, when there is one (`nodeRoleName`).
   * @default - none: shortening the input is the only fix
   */
  readonly override?: string;
}

/**
 * A derived name (`<cluster>-karpenter-node`) is longer than AWS allows. Says which input to
 * shorten and to what length, since the derived name itself is not a prop.
 */
export function derivedTooLong(scope: IConstruct, field: string, derived: string, maxLength: number, from: DerivedFrom): Error {
  const room = maxLength - from.overhead;
  return invalidProp(scope, from.field, from.value,
    `it makes ${field} "${derived}" (${derived.length} characters, at most ${maxLength}); shorten ${from.field} to at most ${room} characters`
    + (from.override ? ` or give ${from.override}` : ''));
}
