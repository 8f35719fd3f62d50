import { Environment, ENVIRONMENTS } from '@piksel/estate';

/**
 * `count` synthetic spoke environments shaped like `dev` (own account, own /16 from 10.10.0.0
 * up, own cluster), for measuring what one more environment costs.
 */
export function syntheticEnvironments(count: number): Environment[] {
  const template = ENVIRONMENTS[0];
  return Array.from({ length: count }, (_, i) => ({
    ...template,
    name: `bench-${i}`,
    account: String(200000000000 + i),
    cidrBlock: `10.${10 + i}.0.0/16`,
    clusterName: `piksel-bench-${i}`,
  }));
}
