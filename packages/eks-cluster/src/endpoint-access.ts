import { Token } from 'cdktf';

/** CIDR blocks that mean "anyone on the internet". */
const ANYWHERE = ['0.0.0.0/0'];
const IPV4_CIDR = /^(\d{1,3}\.){3}\d{1,3}\/\d{1,2}$/;

/**
 * Where the Kubernetes API server can be reached from.
 *
 * @see https://docs.aws.amazon.com/eks/latest/userguide/cluster-endpoint.html
 */
export class EndpointAccess {
  /** Only from inside the VPC (and networks routed to it, such as the hub). */
  public static readonly PRIVATE = new EndpointAccess(false, []);

  /**
   * From inside the VPC, and from the internet. Narrow it with `onlyFrom(...)`: an API server
   * open to the world is reachable by anyone who finds it.
   */
  public static readonly PUBLIC_AND_PRIVATE = new EndpointAccess(true, ANYWHERE);

  /** Whether the public endpoint is on. */
  public readonly publicAccess: boolean;
  /** CIDR blocks allowed to reach the public endpoint. */
  public readonly publicCidrs: string[];

  private constructor(publicAccess: boolean, publicCidrs: string[]) {
    this.publicAccess = publicAccess;
    this.publicCidrs = publicCidrs;
  }

  /**
   * The public endpoint restricted to `cidrs` (the private endpoint stays on).
   *
   * @param cidrs IPv4 CIDR blocks, e.g. an office's egress `203.0.113.0/24`
   */
  public onlyFrom(...cidrs: string[]): EndpointAccess {
    if (!this.publicAccess) {
      throw new Error('EndpointAccess.PRIVATE.onlyFrom: a private endpoint has no public CIDRs; use EndpointAccess.PUBLIC_AND_PRIVATE.onlyFrom(...)');
    }
    if (cidrs.length === 0) {
      throw new Error('EndpointAccess.onlyFrom: cidrs is []; name at least one CIDR block, or use EndpointAccess.PRIVATE');
    }
    for (const cidr of cidrs) {
      if (!Token.isUnresolved(cidr) && !IPV4_CIDR.test(cidr)) {
        throw new Error(`EndpointAccess.onlyFrom: cidr is ${JSON.stringify(cidr)}; use an IPv4 CIDR block such as 203.0.113.0/24`);
      }
    }
    return new EndpointAccess(true, cidrs);
  }
}
