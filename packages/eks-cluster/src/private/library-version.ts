import { readFileSync } from 'fs';
import { join } from 'path';
import { TerraformStack } from 'cdktf';
import { IConstruct } from 'constructs';

const manifest = JSON.parse(readFileSync(join(__dirname, '..', '..', 'package.json'), 'utf-8'));

/** This library's npm name and version, read from its own package.json. */
export const LIBRARY_NAME: string = manifest.name;
export const LIBRARY_VERSION: string = manifest.version;

/**
 * Records which version of this library synthesized the stack, under the Terraform JSON comment
 * key `//` (ignored by Terraform, so it changes no resource and no state). A reader of
 * `cdk.tf.json` sees which construct versions an environment was built from.
 */
export function recordLibraryVersion(scope: IConstruct): void {
  TerraformStack.of(scope).addOverride(`//.piksel.libraries.${LIBRARY_NAME}`, LIBRARY_VERSION);
}
