import { Grantee } from '../src';
import { synth } from './util';

describe('Grantee', () => {
  test('references a role by name', () => {
    synth((stack) => expect(Grantee.fromRoleName(stack, 'Role', 'piksel-dev-grafana').granteeRoleName).toBe('piksel-dev-grafana'));
  });

  test('fails when given an ARN instead of a role name', () => {
    expect(() => synth((stack) => Grantee.fromRoleName(stack, 'Role', 'arn:aws:iam::236122835646:role/x')))
      .toThrow(/Role: roleName is "arn:aws:iam::236122835646:role\/x"; use an IAM role name \(the name, not its ARN\)/);
  });
});
