import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { App, TerraformStack } from 'cdktf';

/**
 * What the README snippets take as given: an app and a stack with an AWS provider. Each example
 * is run in a fresh copy of this module, and its app is synthesized afterwards.
 */
export const app = new App();
export const stack = new TerraformStack(app, 'example');
new AwsProvider(stack, 'Aws', { region: 'ap-southeast-3' });
