import { mkdtempSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { ENVIRONMENTS } from '@piksel/estate';
import { checkEstate } from '../src/estate-checks';

/** An app directory whose pins.json pins `environments`. */
function appWithPins(environments: string[]): string {
  const dir = mkdtempSync(join(tmpdir(), 'piksel-pins-'));
  writeFileSync(join(dir, 'pins.json'), JSON.stringify(Object.fromEntries(environments.map((env) => [env, { '@piksel/secrets': 'workspace' }]))));
  return dir;
}

describe('checkEstate', () => {
  test('accepts the estate as it is', () => {
    expect(() => checkEstate(ENVIRONMENTS)).not.toThrow();
  });

  test('fails when an environment is named twice or like the hub', () => {
    expect(() => checkEstate([...ENVIRONMENTS, ENVIRONMENTS[0]])).toThrow(/^estate: environment name is "dev" twice; give each environment of @piksel\/estate its own name/);
    expect(() => checkEstate([{ ...ENVIRONMENTS[0], name: 'hub' }])).toThrow(/environment name is "hub"; that is the hub's name/);
  });

  test('fails when pins.json pins an environment the estate does not know, or misses one', () => {
    expect(() => checkEstate(ENVIRONMENTS, appWithPins(['hub', 'dev', 'staging', 'production', 'qa'])))
      .toThrow(/pins.json: environment is \["qa"\]; the estate knows only hub, dev, staging, production/);
    expect(() => checkEstate(ENVIRONMENTS, appWithPins(['hub', 'dev', 'staging'])))
      .toThrow(/pins.json: environment \["production"\] has no pins/);
  });
});
