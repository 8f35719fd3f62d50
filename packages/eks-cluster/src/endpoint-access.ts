/** The one CIDR block that means "anyone on the internet". */
const ANYWHERE = '0.0.0.0/0';

/**
 * Where the Kubernetes API server can be reached from. The private endpoint is always on; the
 * public one only when named with the CIDR blocks allowed to reach it.
 *
 * To reach a private endpoint from a network of your own (a runner in the VPC, a VPN), admit it
 * with `Cluster.admitSecurityGroupToApi` or `Cluster.admitCidrToApi`.
 *
 * @see https://docs.aws.amazon.com/eks/latest/userguide/cluster-endpoint.html
 */
export class EndpointAccess {
  /** Only from inside the VPC (and networks routed to it and admitted to the cluster security group). */
  public static readonly PRIVATE = new EndpointAccess(false, []);

  /**
   * The public endpoint open to the whole internet, besides the private one. Named so that no
   * one chooses it by accident: an API server open to the world is reachable by anyone who finds
   * it. Prefer `publicFrom(...)`.
   */
  public static readonly PUBLIC_FROM_ANYWHERE_AND_PRIVATE = new EndpointAccess(true, [ANYWHERE]);

  /**
   * The public endpoint restricted to `cidrs`, besides the private one. Each block is checked by
   * the cluster, and the list by the addresses it covers, not its spelling: `0.0.0.0/0`, or blocks
   * that together cover more than a /8's worth of addresses (16,777,216; `0.0.0.0/1` with
   * `128.0.0.0/1` is the whole internet), are refused: use `PUBLIC_FROM_ANYWHERE_AND_PRIVATE`.
   *
   * @param cidrs IPv4 CIDR blocks, e.g. an office's egress `203.0.113.0/24`
   */
  public static publicFrom(...cidrs: string[]): EndpointAccess {
    return new EndpointAccess(true, cidrs, true);
  }

  /** Whether the public endpoint is on. */
  public readonly publicAccess: boolean;
  /** CIDR blocks allowed to reach the public endpoint. */
  public readonly publicCidrs: string[];
  /** Whether the CIDR blocks were named by the user (and so are checked, and may not be `0.0.0.0/0`). */
  public readonly named: boolean;

  private constructor(publicAccess: boolean, publicCidrs: string[], named: boolean = false) {
    this.publicAccess = publicAccess;
    this.publicCidrs = publicCidrs;
    this.named = named;
  }
}

/** Whether `cidr` opens the endpoint to the whole internet. */
export function isAnywhere(cidr: string): boolean {
  return cidr === ANYWHERE;
}
