import { execFileSync } from 'child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join, relative } from 'path';
import { App, Aspects, AssetType, IAspect, Lazy, TerraformAsset, TerraformOutput, TerraformResource, TerraformStack, Tokenization } from 'cdktf';
import { IConstruct } from 'constructs';
import { buildEstate, estateAppConfig } from '../src/main';

/**
 * What the workspace's patch of cdktf 0.21 (`patches/cdktf@0.21.0.patch`, README "Benchmark")
 * changes, and what it must leave as plain cdktf has it.
 */
const scratch = mkdtempSync(join(tmpdir(), 'piksel-cdktf-patch-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** The stack a new token records as where it was made. */
function creationStackOfNewToken(): string[] {
  return Tokenization.reverseString(Lazy.stringValue({ produce: () => 'x' })).firstToken!.creationStack;
}

/** Runs `fn` with `PIKSEL_RESOLVE_TWICE` set (cdktf's own two resolutions) or unset. */
function withTwice<T>(twice: boolean, fn: () => T): T {
  const before = process.env.PIKSEL_RESOLVE_TWICE;
  if (twice) process.env.PIKSEL_RESOLVE_TWICE = '1';
  else delete process.env.PIKSEL_RESOLVE_TWICE;
  try {
    return fn();
  } finally {
    if (before === undefined) delete process.env.PIKSEL_RESOLVE_TWICE;
    else process.env.PIKSEL_RESOLVE_TWICE = before;
  }
}

/** Every file under `dir`, by its path relative to `dir`. */
function readTree(dir: string): Record<string, string> {
  const files: Record<string, string> = {};
  const walk = (at: string) => {
    for (const name of readdirSync(at)) {
      const path = join(at, name);
      if (statSync(path).isDirectory()) walk(path);
      else files[relative(dir, path)] = readFileSync(path, 'utf-8');
    }
  };
  walk(dir);
  return files;
}

/**
 * Two stacks: `producer` with a resource whose value is lazy (counting how often it is produced:
 * once per resolution), and `consumer`, which reads that resource across stacks.
 */
function twoStacks(twice: boolean, aspect?: IAspect) {
  const app = new App(estateAppConfig(mkdtempSync(join(scratch, 'app-')), {}));
  const producer = new TerraformStack(app, 'producer');
  let produced = 0;
  const resource = new TerraformResource(producer, 'Thing', { terraformResourceType: 'aws_ssm_parameter' });
  resource.addOverride('value', Lazy.stringValue({ produce: () => { produced++; return 'lazy value'; } }));
  const consumer = new TerraformStack(app, 'consumer');
  new TerraformOutput(consumer, 'ThingId', { value: resource.getStringAttribute('id') });
  if (aspect) Aspects.of(producer).add(aspect);
  withTwice(twice, () => app.synth());
  const tree = readTree(app.outdir);
  const stack = (name: string) => JSON.parse(tree[join('stacks', name, 'cdk.tf.json')]);
  return { produced: () => produced, producer, resource, tree, stack, parameter: () => Object.values(stack('producer').resource.aws_ssm_parameter)[0] };
}

describe('the App\'s stackTraces setting covers the stack each token records', () => {
  test('a token made under an App with stack traces off records none', () => {
    new App({ ...estateAppConfig(scratch, {}), skipValidation: true });
    expect(creationStackOfNewToken()).toEqual([]);
  });

  test('a token made under an App with stack traces on records where it was made', () => {
    new App({ ...estateAppConfig(scratch, { PIKSEL_DEBUG: '1' }), skipValidation: true });
    expect(creationStackOfNewToken().join('\n')).toContain('creationStackOfNewToken');
  });
});

describe('each element resolves once per synth', () => {
  test('the whole estate synthesizes byte for byte as with cdktf\'s two resolutions', () => {
    const synth = (twice: boolean) => {
      const app = new App(estateAppConfig(mkdtempSync(join(scratch, twice ? 'twice-' : 'once-')), {}));
      buildEstate(app);
      withTwice(twice, () => app.synth());
      return readTree(app.outdir);
    };
    const once = synth(false);
    const twice = synth(true);
    expect(Object.keys(once).length).toBeGreaterThan(20);
    expect(Object.keys(once).sort()).toEqual(Object.keys(twice).sort());
    for (const file of Object.keys(twice)) expect([file, once[file]]).toEqual([file, twice[file]]);
  });

  test('an element\'s tokens resolve once, where plain cdktf resolves them twice', () => {
    expect(twoStacks(false).produced()).toBe(1);
    expect(twoStacks(true).produced()).toBe(2);
  });

  test('a reference across stacks still becomes an output of one and remote state of the other', () => {
    const once = twoStacks(false);
    expect(once.tree).toEqual(twoStacks(true).tree);
    expect(Object.keys(once.stack('producer').output)).toEqual(['cross-stack-output-aws_ssm_parameterThingid']);
    expect(Object.keys(once.stack('consumer').data.terraform_remote_state)).toEqual(['cross-stack-reference-input-producer']);
    expect(once.stack('consumer').output.ThingId.value)
      .toBe('${data.terraform_remote_state.cross-stack-reference-input-producer.outputs.cross-stack-output-aws_ssm_parameterThingid}');
  });

  test('with an aspect anywhere in the app, every stack resolves again, so what an aspect changed is written', () => {
    const describeAfterPreparing: IAspect = {
      visit(node: IConstruct) {
        if (node instanceof TerraformResource) node.addOverride('description', 'set by an aspect');
      },
    };
    const app = twoStacks(false, describeAfterPreparing);
    expect(app.produced()).toBe(2);
    expect(app.parameter()).toMatchObject({ description: 'set by an aspect', value: 'lazy value' });

    // An aspect of one stack that changes an element of a stack written after it.
    const other = new App(estateAppConfig(mkdtempSync(join(scratch, 'aspects-')), {}));
    const first = new TerraformStack(other, 'first');
    const second = new TerraformStack(other, 'second');
    const parameter = new TerraformResource(second, 'Thing', { terraformResourceType: 'aws_ssm_parameter' });
    Aspects.of(first).add({ visit: () => parameter.addOverride('description', 'set from the first stack') });
    other.synth();
    const written = JSON.parse(readFileSync(join(other.outdir, 'stacks', 'second', 'cdk.tf.json'), 'utf-8'));
    expect(Object.values(written.resource.aws_ssm_parameter)[0]).toMatchObject({ description: 'set from the first stack' });
  });

  test('what preparing kept is forgotten when a synth fails: a change after it is seen', () => {
    const app = new App(estateAppConfig(mkdtempSync(join(scratch, 'failed-')), {}));
    const failing = new TerraformStack(app, 'failing');
    const later = new TerraformStack(app, 'later');
    const resource = new TerraformResource(later, 'Thing', { terraformResourceType: 'aws_ssm_parameter' });
    failing.node.addValidation({ validate: () => ['refused'] });
    expect(() => app.synth()).toThrow(/refused/);
    resource.addOverride('description', 'changed after the failed synth');
    expect(Object.values(later.toTerraform().resource.aws_ssm_parameter)[0]).toMatchObject({ description: 'changed after the failed synth' });
  });

  test('a stack\'s own overrides are resolved as before: a token in them becomes a reference, an undefined one removes what it names', () => {
    const synth = (twice: boolean) => {
      const app = new App(estateAppConfig(mkdtempSync(join(scratch, 'overrides-')), {}));
      const stack = new TerraformStack(app, 'overridden');
      const resource = new TerraformResource(stack, 'Thing', { terraformResourceType: 'aws_ssm_parameter' });
      new TerraformOutput(stack, 'Unwanted', { value: 'removed by an override' });
      stack.addOverride('locals.plain', 'text');
      stack.addOverride('locals.reference', resource.getStringAttribute('arn'));
      stack.addOverride('output.Unwanted', undefined);
      withTwice(twice, () => app.synth());
      return JSON.parse(readFileSync(join(app.outdir, 'stacks', 'overridden', 'cdk.tf.json'), 'utf-8'));
    };
    const once = synth(false);
    expect(once).toEqual(synth(true));
    expect(once.locals).toEqual({ plain: 'text', reference: '${aws_ssm_parameter.Thing.arn}' });
    expect(once.output).toEqual({});
  });

  test('a stack\'s overrides that hold a token object or a function are resolved as plain cdktf resolves them', () => {
    const stackWith = (value: unknown) => {
      const app = new App(estateAppConfig(mkdtempSync(join(scratch, 'token-object-')), {}));
      const stack = new TerraformStack(app, 'overridden');
      stack.addOverride('locals.value', value);
      return stack;
    };
    const tokenObject = { resolve: () => 'resolved from an object' };
    expect(stackWith(tokenObject).toTerraform().locals).toEqual({ value: 'resolved from an object' });
    const withFunction = () => stackWith(() => 'a function').toTerraform();
    expect(withFunction).toThrow(/non-data/);
    expect(() => withTwice(true, withFunction)).toThrow(/non-data/);
  });

  test('what a stack writes is a copy: changing it leaves the stack\'s overrides as they were', () => {
    const app = new App(estateAppConfig(mkdtempSync(join(scratch, 'copy-')), {}));
    const stack = new TerraformStack(app, 'overridden');
    stack.addOverride('locals.list', ['a']);
    stack.toTerraform().locals.list.push('b');
    expect(stack.toTerraform().locals.list).toEqual(['a']);
    expect(Object.keys(stack.toTerraform()['//'].metadata)).not.toContain('cloud');
  });

  test('what was resolved serves one synth: a change after it is seen', () => {
    const app = twoStacks(false);
    app.resource.addOverride('description', 'changed after the synth');
    expect(Object.values(app.producer.toTerraform().resource.aws_ssm_parameter)[0]).toMatchObject({ description: 'changed after the synth' });
  });
});

test('archiver loads only when an asset is zipped, and zipping still works', () => {
  // In a process of its own: jest keeps no require.cache.
  const loaded = execFileSync(process.execPath, ['-e', "require('cdktf'); console.log(Object.keys(require.cache).filter((file) => /[\\\\/]archiver[\\\\/]/.test(file)).length)"], { cwd: join(__dirname, '..'), encoding: 'utf-8' });
  expect(loaded.trim()).toBe('0');
  const source = join(scratch, 'asset-source');
  mkdirSync(source, { recursive: true });
  writeFileSync(join(source, 'hello.txt'), 'hello');
  const app = new App({ outdir: join(scratch, 'asset-app'), stackTraces: false });
  const stack = new TerraformStack(app, 'assets');
  const asset = new TerraformAsset(stack, 'Zipped', { path: source, type: AssetType.ARCHIVE });
  app.synth();
  const zip = join(app.outdir, 'stacks', 'assets', asset.path);
  expect(existsSync(zip)).toBe(true);
  // A zip file starts with the local file header signature "PK\x03\x04".
  expect(readFileSync(zip).subarray(0, 4)).toEqual(Buffer.from([0x50, 0x4b, 0x03, 0x04]));
});
