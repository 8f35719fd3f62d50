/** Building blocks of `terraform test` files generated from synthesized stacks. */

/** The parts of a synthesized stack the assertions need. */
export interface StackJson {
  readonly resource: Record<string, Record<string, Record<string, any>>>;
}

/** The address (`type.name`) of the one resource of `type` whose `attribute` is `value`. */
export function addressOf(stack: StackJson, type: string, match: (r: Record<string, any>) => boolean): string {
  const found = Object.entries(stack.resource[type] ?? {}).filter(([, r]) => match(r));
  if (found.length !== 1) {
    throw new Error(`expected one ${type} matching, found ${found.length}`);
  }
  return `${type}.${found[0][0]}`;
}

/** The addresses (`type.name`) of every resource of `type` that matches. */
export function addressesOf(stack: StackJson, type: string, match: (r: Record<string, any>) => boolean = () => true): string[] {
  return Object.entries(stack.resource[type] ?? {}).filter(([, r]) => match(r)).map(([name]) => `${type}.${name}`);
}

/** A value as HCL (JSON literals are HCL literals). */
export function hcl(value: unknown): string {
  return JSON.stringify(value);
}

/** One `assert` block. */
export function assertion(condition: string, message: string): string {
  return `  assert {\n    condition     = ${condition}\n    error_message = ${hcl(message)}\n  }\n`;
}

/** A `terraform test` file: the default and the hub-aliased mock providers, overrides, one mocked apply. */
export function testFile(mocks: string, extra: string, assertions: string): string {
  return [
    'mock_provider "aws" {',
    mocks,
    '}',
    '',
    extra,
    '',
    'run "mocked_apply" {',
    '  command = apply',
    '',
    assertions,
    '}',
    '',
  ].join('\n');
}

/**
 * A spoke's view of the hub in a test file: the mocked hub-aliased provider (`alias`: the app's
 * `hub`, or the `hub-<environment>` `attachToHub` makes from `hubAccount`), and the hub's state
 * (`data.terraform_remote_state.HubState`) answering with `outputs`.
 */
export function hubStateOverride(outputs: Record<string, string>, alias = 'hub'): string {
  return [
    'mock_provider "aws" {',
    `  alias = ${hcl(alias)}`,
    '}',
    '',
    'override_data {',
    '  target = data.terraform_remote_state.HubState',
    `  values = { outputs = { ${Object.entries(outputs).map(([k, v]) => `${k} = ${hcl(v)}`).join(', ')} } }`,
    '}',
  ].join('\n');
}
