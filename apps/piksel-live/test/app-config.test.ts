import { estateAppConfig } from '../src/main';

describe('estateAppConfig', () => {
  test('leaves stack traces off outside debugging', () => {
    expect(estateAppConfig('out', {})).toEqual({ outdir: 'out', stackTraces: false });
  });

  test.each(['CDKTF_STACK_TRACES', 'PIKSEL_DEBUG'])('turns stack traces on when %s is set', (variable) => {
    expect(estateAppConfig('out', { [variable]: '1' }).stackTraces).toBe(true);
  });
});
